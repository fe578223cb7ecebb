#include "domain/consultation.hpp"

#include "domain/consent.hpp"
#include "domain/field_reader.hpp"
#include "domain/slots.hpp"

namespace leadgate::domain {

const date::time_zone* find_zone(std::string_view name) {
  if (name.empty() || name.size() > 64) return nullptr;
  try {
    return date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return nullptr;
  }
}

ConsultationParse parse_consultation(const FormInput& input, const date::time_zone& business_zone) {
  FieldReader reader(input);
  ConsultationRequest request;
  auto name = reader.name("name", TextRule{.required = true, .min_chars = 1, .max_chars = 200});
  auto email = reader.email("email", true);
  auto slot = reader.text("slot_start", TextRule{.required = true, .max_chars = 40});
  auto zone = reader.text("timezone", TextRule{.max_chars = 64});
  request.topic = reader.text("topic", TextRule{.max_chars = 2000, .lines = Lines::multiple});
  request.company = reader.text("company", TextRule{.max_chars = 200});
  request.phone = reader.phone("phone", 40);
  request.host = reader.text("host", TextRule{.max_chars = 40});
  request.consent_marketing = reader.flag("consent_marketing");
  request.consent_version = read_consent_version(reader);
  request.attribution = read_attribution(reader);
  std::optional<date::sys_seconds> start;
  if (slot) {
    start = parse_rfc3339(*slot);
    if (!start) reader.add_error("slot_start", "invalid_time", "Must be a time like 2026-03-02T09:00:00Z.");
  }
  request.timezone = zone ? find_zone(*zone) : &business_zone;
  if (request.timezone == nullptr) {
    reader.add_error("timezone", "unknown_timezone", "Must be a time zone name like Europe/Berlin.");
  }
  if (!reader.ok()) return reader.errors();
  request.name = std::move(*name);
  request.email = std::move(*email);
  request.slot_start = *start;
  return request;
}

}  // namespace leadgate::domain
