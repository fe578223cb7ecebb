#pragma once
// Reads typed values out of a FormInput while collecting every problem, so a
// visitor sees all fields to fix at once rather than one per attempt. Each
// form's parser (estimate, newsletter, consultation) is a list of calls to
// this class.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/form_input.hpp"
#include "domain/text.hpp"

namespace leadgate::domain {

struct TextRule {
  bool required = false;
  std::size_t min_chars = 0;
  std::size_t max_chars = 0;
  Lines lines = Lines::single;
};

// "true"/"false", "on"/"off", "1"/"0", "yes"/"no" in any case; "" is false.
std::optional<bool> parse_flag(std::string_view text);

class FieldReader {
 public:
  explicit FieldReader(const FormInput& input) : input_(input) {}

  // Trimmed text; nothing when absent or empty (and not required), or when
  // invalid (an error is recorded).
  std::optional<std::string> text(std::string_view field, const TextRule& rule);

  // Like text(), then checked to be an e-mail address (returned normalised).
  std::optional<std::string> email(std::string_view field, bool required);

  // A person's name: text that must not carry a link.
  std::optional<std::string> name(std::string_view field, const TextRule& rule);

  std::optional<std::string> phone(std::string_view field, std::size_t max_chars);

  // One of `allowed`, compared exactly.
  std::optional<std::string> choice(std::string_view field, std::span<const std::string> allowed);

  // Any number of values, each one of `allowed`; duplicates are dropped.
  std::vector<std::string> choices(std::string_view field, std::span<const std::string> allowed);

  // true/false, "on"/"off", "1"/"0", "yes"/"no"; an absent field is false, as
  // an unticked HTML checkbox is simply not sent.
  bool flag(std::string_view field);

  const std::vector<FieldError>& errors() const { return errors_; }
  bool ok() const { return errors_.empty(); }

  void add_error(std::string_view field, std::string_view code, std::string message);

 private:
  // The single value of a scalar field, or nothing when absent (recording
  // an error for lists and for JSON types other than text; with
  // `allow_boolean`, JSON booleans and numbers (0/1) are fine too).
  std::optional<std::string_view> scalar(std::string_view field, bool allow_boolean);
  bool has_error(std::string_view field) const;

  const FormInput& input_;
  std::vector<FieldError> errors_;
};

}  // namespace leadgate::domain
