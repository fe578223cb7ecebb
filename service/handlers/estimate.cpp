#include "handlers/estimate.hpp"

#include <chrono>

#include "domain/estimate.hpp"
#include "domain/ids.hpp"
#include "domain/spam.hpp"
#include "handlers/form_submission.hpp"

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
      fields_(estimate_fields(options_)) {}

void EstimateHandler::operator()(const http::Request& request, http::Responder respond) const {
  auto submission = read_submission(request);
  limit_rate(services_.rate_limiter, submission, "estimate");
  auto parsed = domain::parse_estimate(submission.input, options_);
  if (auto* errors = std::get_if<std::vector<domain::FieldError>>(&parsed)) {
    auto form = echo_form(services_.config.http.public_url + std::string(path), fields_, submission.input, *errors);
    respond(services_.errors.render_with_form(submission.format, domain::Error::validation(*errors), form));
    return;
  }

  const auto& config = services_.config;
  auto spam = spam_signal(submission, config);
  store::NewEstimate estimate;
  estimate.id = domain::new_uuid_v7();
  estimate.submission = std::move(std::get<domain::EstimateSubmission>(parsed));
  if (spam) estimate.spam_reason = std::string(domain::to_string(*spam));
  estimate.consent_version = estimate.submission.consent_version.value_or(config.forms.consent_version);
  estimate.client_address = submission.client_address;
  estimate.user_agent = submission.user_agent;

  // A flagged submission gets exactly the answer a real one gets.
  store::Answer answer{201, R"({"id":")" + estimate.id + R"(","status":"received"})", false};
  auto claim = idempotency_claim(submission, "estimate", answer);
  auto location = success_location(submission.input, config.forms.success_url.estimate, config.http.allowed_origins,
                                   config.http.public_url);
  bool is_spam = spam.has_value();
  auto done = [this, respond, format = submission.format, location = std::move(location),
               is_spam](store::Outcome<store::Answer> outcome) {
    if (auto* error = std::get_if<domain::Error>(&outcome)) return respond(services_.errors.render(format, *error));
    auto& stored = std::get<store::Answer>(outcome);
    if (!stored.replayed) services_.metrics.count_lead("estimate", is_spam);
    respond(success_response(format, stored, location));
  };
  with_captcha(services_.captcha, submission, services_.errors, respond,
               [this, estimate = std::move(estimate), claim = std::move(claim), answer = std::move(answer),
                done = std::move(done)]() mutable {
                 services_.leads.save_estimate(std::move(estimate), std::move(claim), std::move(answer), std::move(done));
               });
}

}  // namespace leadgate::handlers
