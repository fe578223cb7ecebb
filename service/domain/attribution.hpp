#pragma once
// Where a visitor came from: the page and campaign fields every form accepts.

#include <optional>
#include <string>

#include "domain/field_reader.hpp"

namespace leadgate::domain {

struct Attribution {
  std::optional<std::string> page_url;
  std::optional<std::string> referrer;
  std::optional<std::string> utm_source;
  std::optional<std::string> utm_medium;
  std::optional<std::string> utm_campaign;
  std::optional<std::string> utm_term;
  std::optional<std::string> utm_content;
};

// Each field optional, single-line, at most 500 characters.
Attribution read_attribution(FieldReader& reader);

}  // namespace leadgate::domain
