#pragma once
// Cheap bot signals checked before anything is stored. A flagged submission
// still gets the normal success answer (so bots learn nothing), is stored
// with status "spam", and sends no e-mail.

#include <cstdint>
#include <optional>
#include <string_view>

#include "domain/form_input.hpp"

namespace leadgate::domain {

enum class SpamSignal {
  honeypot,  // the hidden field that people never see was filled
  too_fast,  // submitted sooner after rendering than a person can type
};

std::string_view to_string(SpamSignal signal);

struct SpamRules {
  std::string_view honeypot_field;
  std::int64_t min_fill_seconds = 3;
};

// `_ts` is the Unix time at which the page rendered the form; values above
// 10^12 are taken as milliseconds (JavaScript's Date.now()), fractions are
// fine. A `_ts` that is not a number counts as too fast (only a script
// tampers with it); an empty one counts as absent.
std::optional<SpamSignal> detect_spam(const FormInput& input, const SpamRules& rules, std::int64_t now_unix);

// Each signal on its own: a spam score counts both.
bool filled_honeypot(const FormInput& input, const SpamRules& rules);
bool too_fast(const FormInput& input, const SpamRules& rules, std::int64_t now_unix);

}  // namespace leadgate::domain
