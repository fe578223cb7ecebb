#include "domain/attribution.hpp"

namespace leadgate::domain {

Attribution read_attribution(FieldReader& reader) {
  const TextRule rule{.max_chars = 500};
  Attribution attribution;
  attribution.page_url = reader.text("page_url", rule);
  attribution.referrer = reader.text("referrer", rule);
  attribution.utm_source = reader.text("utm_source", rule);
  attribution.utm_medium = reader.text("utm_medium", rule);
  attribution.utm_campaign = reader.text("utm_campaign", rule);
  attribution.utm_term = reader.text("utm_term", rule);
  attribution.utm_content = reader.text("utm_content", rule);
  return attribution;
}

}  // namespace leadgate::domain
