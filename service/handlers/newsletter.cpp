#include "handlers/newsletter.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "domain/digest.hpp"
#include "domain/ids.hpp"
#include "domain/newsletter.hpp"
#include "handlers/webhook_targets.hpp"
#include "http/query.hpp"
#include "mail/payloads.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::string_view signup_path = "/v1/forms/newsletter";
constexpr std::string_view confirm_path = "/v1/newsletter/confirm";
constexpr std::string_view unsubscribe_path = "/v1/newsletter/unsubscribe";

const std::string pending_answer = R"({"status":"pending_confirmation"})";

std::string link(const std::string& public_url, std::string_view path, const std::string& token) {
  return public_url + std::string(path) + "?token=" + token;
}

// The confirmation e-mail quotes nothing the visitor typed, not even their
// name: signup forms are a favourite way to mail spam to strangers.
std::string confirmation_payload(const std::string& confirm_url, const std::string& unsubscribe_url) {
  return nlohmann::json(mail::NewsletterConfirmation{{confirm_url, unsubscribe_url}}).dump();
}

// The confirm page submits its form at once; without scripts a button does.
const std::string auto_submit = "document.forms[0].submit();";
const std::string auto_submit_hash = "sha256-" + domain::sha256_base64(auto_submit);

// RFC 8058: a mail client's one-click unsubscribe posts exactly this.
bool is_one_click(const http::Request& request) {
  return request.body.find("List-Unsubscribe=One-Click") != std::string::npos;
}

}  // namespace

NewsletterHandlers::NewsletterHandlers(Services& services)
    : services_(services),
      form_(services, {"newsletter",
                       std::string(signup_path),
                       with_common_fields({
                           {"email", "E-mail", FieldKind::email, true, {}},
                           {"name", "Your name", FieldKind::text, false, {}},
                       }),
                       services.config.forms.success_url.newsletter}) {}

http::Response NewsletterHandlers::page(std::string_view name, const std::string& action) const {
  auto response = http::Response::html(200, services_.pages.render(name, {{"action", action}, {"script", auto_submit}}));
  // The confirm page's one script, allowed by its hash and nothing else.
  response.with_header("Content-Security-Policy", "default-src 'self'; script-src '" + auto_submit_hash +
                                                      "'; base-uri 'none'; frame-ancestors 'none'; form-action " +
                                                      services_.config.http.public_url);
  return response;
}

// A valid address always gets 202 pending_confirmation, whatever
// its state (no enumeration); what happens to it is the store's decision.
async::Task<http::Response> NewsletterHandlers::sign_up(const http::Request& request) const {
  auto submission = form_.read(request);
  auto parsed = domain::parse_newsletter(submission.input);
  if (auto* errors = std::get_if<std::vector<domain::FieldError>>(&parsed)) {
    throw form_.refusal(submission, domain::Error::validation(*errors));
  }
  co_await form_.screen(submission);

  const auto& config = services_.config;
  store::NewSignup signup;
  signup.id = domain::new_uuid_v7();
  signup.signup = std::move(std::get<domain::NewsletterSignup>(parsed));
  signup.consent_version = signup.signup.consent_version.value_or(config.forms.consent_version);
  signup.client_address = submission.client_address;
  // Spam gets exactly the answer a real signup gets; it is stored apart
  // and mails nobody.
  signup.spam = submission.spam;
  signup.is_spam = form_.is_spam(submission);
  signup.confirm_token = domain::random_hex(link_token_bytes);
  signup.unsubscribe_token = domain::random_hex(link_token_bytes);
  signup.confirmation_payload =
      confirmation_payload(link(config.http.public_url, confirm_path, signup.confirm_token),
                           link(config.http.public_url, unsubscribe_path, signup.unsubscribe_token));
  signup.cooldown_minutes = config.newsletter.cooldown_minutes;
  signup.visitor_email_cap = config.limits.emails_per_recipient_per_day;
  signup.confirm_hours = config.newsletter.confirm_hours;
  store::Answer answer{202, pending_answer, false};
  auto claim = form_.claim(submission, answer);
  auto stored = co_await services_.subscribers.sign_up(std::move(signup), std::move(claim), answer);
  co_return form_.accepted(submission, stored);
}

async::Task<http::Response> NewsletterHandlers::confirm_page(const http::Request& request) const {
  auto token = link_token(request);
  if (!token) co_return services_.errors.invalid_link(404);
  auto info = co_await services_.subscribers.inspect_token(domain::sha256_hex(*token), "confirm");
  if (info.state == store::TokenState::usable) {
    co_return page("newsletter_confirm", link(services_.config.http.public_url, confirm_path, *token));
  }
  if (info.state == store::TokenState::spent && info.subscriber == domain::SubscriberState::confirmed) {
    co_return http::Response::see_other(
        absolute_url(services_.config.http.public_url, services_.config.newsletter.confirmed_url));
  }
  co_return services_.errors.invalid_link(info.state == store::TokenState::unknown ? 404 : 410);
}

async::Task<http::Response> NewsletterHandlers::confirm(const http::Request& request) const {
  auto token = link_token(request);
  if (!token) co_return services_.errors.invalid_link(404);
  auto result = co_await services_.subscribers.confirm(domain::sha256_hex(*token), request.client_address,
                                                      webhook_targets(services_.config, "subscriber.confirmed"));
  switch (result) {
    case store::ConfirmResult::unknown: co_return services_.errors.invalid_link(404);
    case store::ConfirmResult::spent: co_return services_.errors.invalid_link(410);
    case store::ConfirmResult::confirmed:
    case store::ConfirmResult::already_confirmed: break;
  }
  co_return http::Response::see_other(
      absolute_url(services_.config.http.public_url, services_.config.newsletter.confirmed_url));
}

async::Task<http::Response> NewsletterHandlers::unsubscribe_page(const http::Request& request) const {
  auto token = link_token(request);
  if (!token) co_return services_.errors.invalid_link(404);
  auto info = co_await services_.subscribers.inspect_token(domain::sha256_hex(*token), "unsubscribe");
  if (info.state == store::TokenState::unknown) co_return services_.errors.invalid_link(404);
  co_return page("newsletter_unsubscribe", link(services_.config.http.public_url, unsubscribe_path, *token));
}

async::Task<http::Response> NewsletterHandlers::unsubscribe(const http::Request& request) const {
  // A mail client's one-click POST reads plain text; a person gets pages.
  bool one_click = is_one_click(request);
  auto unknown = [&] { return one_click ? http::Response::text(404, "Unknown link.\n") : services_.errors.invalid_link(404); };
  auto token = link_token(request);
  if (!token) co_return unknown();
  if (!co_await services_.subscribers.unsubscribe(domain::sha256_hex(*token), request.client_address)) {
    co_return unknown();
  }
  if (one_click) co_return http::Response::text(200, "Unsubscribed.\n");
  co_return http::Response::see_other(
      absolute_url(services_.config.http.public_url, services_.config.newsletter.unsubscribed_url));
}

}  // namespace leadgate::handlers
