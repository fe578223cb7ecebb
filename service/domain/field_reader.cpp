#include "domain/field_reader.hpp"

#include <algorithm>
#include <cctype>

#include "domain/links.hpp"

namespace leadgate::domain {

namespace {

std::string characters(std::size_t count) {
  return std::to_string(count) + (count == 1 ? " character" : " characters");
}

}  // namespace

std::optional<bool> parse_flag(std::string_view text) {
  std::string value(trim(text));
  std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
  for (std::string_view yes : {"true", "on", "1", "yes"}) {
    if (value == yes) return true;
  }
  for (std::string_view no : {"false", "off", "0", "no", ""}) {
    if (value == no) return false;
  }
  return std::nullopt;
}

void FieldReader::add_error(std::string_view field, std::string_view code, std::string message) {
  errors_.push_back(FieldError{std::string(field), std::string(code), std::move(message)});
}

bool FieldReader::has_error(std::string_view field) const {
  return std::any_of(errors_.begin(), errors_.end(), [field](const FieldError& e) { return e.field == field; });
}

std::optional<std::string_view> FieldReader::scalar(std::string_view field, bool allow_boolean) {
  const FieldValue* value = input_.find(field);
  if (value == nullptr) return std::nullopt;
  bool type_ok = value->type == ValueType::text ||
                 (allow_boolean && (value->type == ValueType::boolean || value->type == ValueType::number));
  if (!type_ok) {
    add_error(field, "invalid_type", allow_boolean ? "Must be true or false." : "Must be text.");
    return std::nullopt;
  }
  if (value->values.empty() && !value->is_list) return std::nullopt;
  if (value->values.size() != 1 || value->is_list) {
    add_error(field, "invalid_type", "Must be a single value.");
    return std::nullopt;
  }
  return value->values.front();
}

std::optional<std::string> FieldReader::text(std::string_view field, const TextRule& rule) {
  auto raw = scalar(field, false);
  if (has_error(field)) return std::nullopt;
  if (raw && !is_valid_utf8(*raw)) {
    add_error(field, "invalid_encoding", "Contains bytes that are not valid UTF-8 text.");
    return std::nullopt;
  }
  auto value = raw ? trim(*raw) : std::string_view{};
  if (value.empty()) {
    if (rule.required) add_error(field, "required", "This field is required.");
    return std::nullopt;
  }
  if (has_control_characters(value, rule.lines)) {
    add_error(field, "control_characters",
              rule.lines == Lines::single ? "Must be a single line of text without control characters."
                                          : "Contains control characters.");
    return std::nullopt;
  }
  if (rule.lines == Lines::single && has_invisible_format_characters(value)) {
    add_error(field, "invisible_characters",
              "Contains invisible formatting characters (such as a text direction override). Please retype it.");
    return std::nullopt;
  }
  auto count = count_characters(value);
  if (rule.min_chars > 0 && count < rule.min_chars) {
    add_error(field, "too_short", "Must be at least " + characters(rule.min_chars) + ".");
    return std::nullopt;
  }
  if (rule.max_chars > 0 && count > rule.max_chars) {
    add_error(field, "too_long", "Must be at most " + characters(rule.max_chars) + ".");
    return std::nullopt;
  }
  return std::string(value);
}

std::optional<std::string> FieldReader::email(std::string_view field, bool required) {
  auto value = text(field, TextRule{.required = required, .max_chars = 254});
  if (!value) return std::nullopt;
  auto normalized = normalize_email(*value);
  if (!normalized) {
    add_error(field, "invalid_email", "Must be a valid e-mail address, like name@example.com.");
  }
  return normalized;
}

std::optional<std::string> FieldReader::name(std::string_view field, const TextRule& rule) {
  auto value = text(field, rule);
  if (value && contains_url(*value)) {
    add_error(field, "contains_url", "A name cannot contain a web address.");
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> FieldReader::phone(std::string_view field, std::size_t max_chars) {
  auto value = text(field, TextRule{.max_chars = max_chars});
  if (value && !is_valid_phone(*value)) {
    add_error(field, "invalid_phone", "May contain only digits, spaces and + ( ) - .");
    return std::nullopt;
  }
  return value;
}

std::optional<std::string> FieldReader::choice(std::string_view field, std::span<const std::string> allowed) {
  auto value = text(field, TextRule{.max_chars = 200});
  if (value && std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
    add_error(field, "not_allowed", "Must be one of the offered options.");
    return std::nullopt;
  }
  return value;
}

std::vector<std::string> FieldReader::choices(std::string_view field, std::span<const std::string> allowed) {
  std::vector<std::string> chosen;
  const FieldValue* value = input_.find(field);
  if (value == nullptr) return chosen;
  if (value->type != ValueType::text) {
    add_error(field, "invalid_type", "Must be a list of options.");
    return chosen;
  }
  for (const auto& raw : value->values) {
    auto item = trim(raw);
    if (item.empty()) continue;
    if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) {
      add_error(field, "not_allowed", "Must contain only the offered options.");
      return {};
    }
    if (std::find(chosen.begin(), chosen.end(), item) == chosen.end()) chosen.emplace_back(item);
  }
  return chosen;
}

bool FieldReader::flag(std::string_view field) {
  auto raw = scalar(field, true);
  if (!raw) return false;
  auto value = parse_flag(*raw);
  if (!value) add_error(field, "invalid_type", "Must be true or false.");
  return value.value_or(false);
}

}  // namespace leadgate::domain
