#include "mail/payload_reader.hpp"

#include <nlohmann/json.hpp>

namespace leadgate::mail {

PayloadReader::PayloadReader(const nlohmann::json& object, std::string path)
    : object_(object), path_(std::move(path)) {
  if (!object_.is_object()) {
    throw PayloadError(path_.empty() ? std::string("the payload is not a JSON object")
                                     : "\"" + path_.substr(0, path_.size() - 1) + "\" is not an object");
  }
}

const nlohmann::json& PayloadReader::field(std::string_view key) const {
  auto found = object_.find(key);
  if (found == object_.end()) throw PayloadError("\"" + path_ + std::string(key) + "\" is missing");
  return *found;
}

void PayloadReader::wrong_type(std::string_view key, std::string_view expected) const {
  throw PayloadError("\"" + path_ + std::string(key) + "\" is not " + std::string(expected));
}

std::string PayloadReader::text(std::string_view key) const {
  const auto& value = field(key);
  if (!value.is_string()) wrong_type(key, "a string");
  return value.get<std::string>();
}

std::optional<std::string> PayloadReader::nullable_text(std::string_view key) const {
  const auto& value = field(key);
  if (value.is_null()) return std::nullopt;
  if (!value.is_string()) wrong_type(key, "a string or null");
  return value.get<std::string>();
}

std::string PayloadReader::added_text(std::string_view key) const {
  auto found = object_.find(key);
  if (found == object_.end() || found->is_null()) return "";
  if (!found->is_string()) wrong_type(key, "a string");
  return found->get<std::string>();
}

bool PayloadReader::flag(std::string_view key) const {
  const auto& value = field(key);
  if (!value.is_boolean()) wrong_type(key, "a boolean");
  return value.get<bool>();
}

std::int64_t PayloadReader::integer(std::string_view key) const {
  const auto& value = field(key);
  if (!value.is_number_integer()) wrong_type(key, "an integer");
  return value.get<std::int64_t>();
}

std::vector<std::string> PayloadReader::texts(std::string_view key) const {
  const auto& value = field(key);
  if (!value.is_array()) wrong_type(key, "an array of strings");
  std::vector<std::string> items;
  for (const auto& item : value) {
    if (!item.is_string()) wrong_type(key, "an array of strings");
    items.push_back(item.get<std::string>());
  }
  return items;
}

PayloadReader PayloadReader::object(std::string_view key) const {
  return PayloadReader(field(key), path_ + std::string(key) + ".");
}

std::vector<PayloadReader> PayloadReader::objects(std::string_view key) const {
  const auto& value = field(key);
  if (!value.is_array()) wrong_type(key, "an array of objects");
  std::vector<PayloadReader> items;
  for (std::size_t i = 0; i < value.size(); ++i) {
    items.emplace_back(value[i], path_ + std::string(key) + "[" + std::to_string(i) + "].");
  }
  return items;
}

nlohmann::json nullable(const std::optional<std::string>& text) {
  return text ? nlohmann::json(*text) : nlohmann::json(nullptr);
}

}  // namespace leadgate::mail
