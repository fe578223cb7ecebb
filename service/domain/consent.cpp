#include "domain/consent.hpp"

#include <algorithm>

namespace leadgate::domain {

std::optional<std::string> read_consent_version(FieldReader& reader) {
  auto version = reader.text("consent_version", TextRule{.max_chars = 50});
  if (!version) return std::nullopt;
  bool plain = std::all_of(version->begin(), version->end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == '_';
  });
  if (!plain) {
    reader.add_error("consent_version", "invalid_format", "May contain only letters, digits, '.', '-' and '_'.");
    return std::nullopt;
  }
  return version;
}

}  // namespace leadgate::domain
