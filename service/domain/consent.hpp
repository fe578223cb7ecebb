#pragma once
// Which version of the consent text the visitor saw. The website sends it as
// `consent_version` when its wording changes; otherwise the configured
// default is recorded.

#include <optional>
#include <string>

#include "domain/field_reader.hpp"

namespace leadgate::domain {

// Letters, digits, ".", "-" and "_", at most 50 characters.
std::optional<std::string> read_consent_version(FieldReader& reader);

}  // namespace leadgate::domain
