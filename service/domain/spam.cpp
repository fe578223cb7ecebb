#include "domain/spam.hpp"

#include <charconv>
#include <cmath>

#include "domain/text.hpp"

namespace leadgate::domain {

std::string_view to_string(SpamSignal signal) {
  switch (signal) {
    case SpamSignal::honeypot:
      return "honeypot";
    case SpamSignal::too_fast:
      return "too_fast";
  }
  return "unknown";
}

std::optional<SpamSignal> detect_spam(const FormInput& input, const SpamRules& rules, std::int64_t now_unix) {
  if (filled_honeypot(input, rules)) return SpamSignal::honeypot;
  if (too_fast(input, rules, now_unix)) return SpamSignal::too_fast;
  return std::nullopt;
}

bool filled_honeypot(const FormInput& input, const SpamRules& rules) {
  const FieldValue* trap = input.find(rules.honeypot_field);
  if (trap == nullptr) return false;
  for (const auto& value : trap->values) {
    if (!trim(value).empty()) return true;
  }
  return trap->type == ValueType::invalid;
}

bool too_fast(const FormInput& input, const SpamRules& rules, std::int64_t now_unix) {
  const FieldValue* rendered = input.find("_ts");
  if (rendered == nullptr) return false;
  if (rendered->type != ValueType::text && rendered->type != ValueType::number) return true;
  // Empty counts as absent: a page that fills `_ts` from a script sends it
  // empty when scripts are off, and those visitors are people.
  if (rendered->values.empty() || trim(rendered->values.front()).empty()) return false;
  auto text = trim(rendered->values.front());
  // A double, because scripts often send Date.now() / 1000 with a fraction.
  double rendered_at = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), rendered_at);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(rendered_at)) {
    return true;
  }
  if (rendered_at > 1e12) rendered_at /= 1000;
  double elapsed = static_cast<double>(now_unix) - rendered_at;
  // A time after ours comes from a visitor's clock that runs ahead (a page
  // filling `_ts` with Date.now()): the fill time cannot be told, and a real
  // lead must not end up as spam for it. (A clock ahead by less than the
  // fill time still shortens it; pages that need certainty render `_ts` on
  // the server.) A bot gains nothing here that an old time would not give it.
  if (elapsed < 0) return false;
  if (elapsed < static_cast<double>(rules.min_fill_seconds)) return true;
  return false;
}

}  // namespace leadgate::domain
