#include "domain/estimate.hpp"

#include "domain/consent.hpp"
#include "domain/field_reader.hpp"

namespace leadgate::domain {

EstimateParse parse_estimate(const FormInput& input, const EstimateOptions& options) {
  FieldReader reader(input);
  auto name = reader.name("name", TextRule{.required = true, .min_chars = 1, .max_chars = 200});
  auto email = reader.email("email", true);
  auto message = reader.text("message", TextRule{.required = true, .min_chars = 10, .max_chars = 5000,
                                                 .lines = Lines::multiple});
  EstimateSubmission submission;
  submission.company = reader.text("company", TextRule{.max_chars = 200});
  submission.phone = reader.phone("phone", 40);
  submission.budget = reader.choice("budget", options.budgets);
  submission.timeline = reader.text("timeline", TextRule{.max_chars = 100});
  submission.services = reader.choices("services", options.services);
  submission.consent_marketing = reader.flag("consent_marketing");
  submission.consent_version = read_consent_version(reader);
  submission.attribution = read_attribution(reader);
  if (!reader.ok()) return reader.errors();
  submission.name = std::move(*name);
  submission.email = std::move(*email);
  submission.message = std::move(*message);
  return submission;
}

}  // namespace leadgate::domain
