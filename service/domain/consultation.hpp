#pragma once
// "Schedule a consultation": the booking form's fields (docs/api-behaviour.md,
// "Booking").

#include <date/tz.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/attribution.hpp"
#include "domain/error.hpp"
#include "domain/form_input.hpp"

namespace leadgate::domain {

struct ConsultationRequest {
  std::string name;
  std::string email;
  date::sys_seconds slot_start;
  const date::time_zone* timezone = nullptr;  // the visitor's, for the e-mails
  std::optional<std::string> topic;
  std::optional<std::string> company;
  std::optional<std::string> phone;
  std::optional<std::string> host;  // the host's id, for "book with Ana" links
  bool consent_marketing = false;
  std::optional<std::string> consent_version;
  Attribution attribution;
};

using ConsultationParse = std::variant<ConsultationRequest, std::vector<FieldError>>;

// Field rules only; whether the slot is free is the store's to decide.
// Without a `timezone` the visitor gets the business's zone: a plain HTML
// form (no script) has no way to know the visitor's.
ConsultationParse parse_consultation(const FormInput& input, const date::time_zone& business_zone);

// An IANA zone name from the tz database, or nothing.
const date::time_zone* find_zone(std::string_view name);

}  // namespace leadgate::domain
