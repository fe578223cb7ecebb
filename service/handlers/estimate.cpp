#include "handlers/estimate.hpp"

#include <chrono>

#include "domain/estimate.hpp"
#include "domain/ids.hpp"
#include "domain/spam.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::string_view path = "/v1/forms/estimate";

std::vector<FieldSpec> estimate_fields(const domain::EstimateOptions& options) {
  return with_common_fields({
      {"name", "Your name", FieldKind::text, true, {}},
      {"email", "E-mail", FieldKind::email, true, {}},
      {"company", "Company", FieldKind::text, false, {}},
      {"phone", "Phone", FieldKind::tel, false, {}},
      {"message", "About your project", FieldKind::textarea, true, {}},
      {"budget", "Budget", FieldKind::select, false, options.budgets},
      {"services", "Services", FieldKind::checkboxes, false, options.services},
      {"timeline", "Timeline", FieldKind::text, false, {}},
      {"consent_marketing", "Send me occasional news by e-mail", FieldKind::checkbox, false, {}},
  });
}

}  // namespace

EstimateHandler::EstimateHandler(Services& services)
    : services_(services),
      options_{services.config.forms.budgets, services.config.forms.services},
      form_(services, {"estimate", std::string(path), estimate_fields(options_),
                       services.config.forms.success_url.estimate, "message"}) {}

// Validate, then store the lead with its confirmation and sales
// notification in one transaction, then answer 201 (or 303 for a plain form).
async::Task<http::Response> EstimateHandler::handle(const http::Request& request) const {
  auto submission = form_.read(request);
  auto parsed = domain::parse_estimate(submission.input, options_);
  if (auto* errors = std::get_if<std::vector<domain::FieldError>>(&parsed)) {
    throw form_.refusal(submission, domain::Error::validation(*errors));
  }
  co_await form_.screen(submission);

  const auto& config = services_.config;
  store::NewEstimate estimate;
  estimate.id = domain::new_uuid_v7();
  estimate.submission = std::move(std::get<domain::EstimateSubmission>(parsed));
  estimate.spam = submission.spam;
  estimate.message_digest = submission.message_digest;
  estimate.consent_version = estimate.submission.consent_version.value_or(config.forms.consent_version);
  estimate.client_address = submission.client_address;
  estimate.user_agent = submission.user_agent;
  // A flagged submission gets exactly the answer a real one gets.
  store::Answer answer{201, R"({"id":")" + estimate.id + R"(","status":"received"})", false};
  auto claim = form_.claim(submission, answer);
  auto stored = co_await services_.leads.save_estimate(std::move(estimate), std::move(claim), std::move(answer));

  if (!stored.replayed) services_.metrics.count_lead("estimate", form_.is_spam(submission));
  co_return form_.accepted(submission, stored);
}

}  // namespace leadgate::handlers
