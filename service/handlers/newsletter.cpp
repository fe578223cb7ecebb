#include "handlers/newsletter.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "domain/digest.hpp"
#include "domain/ids.hpp"
#include "domain/newsletter.hpp"
#include "handlers/form_submission.hpp"
#include "handlers/webhook_targets.hpp"
#include "http/query.hpp"

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
  nlohmann::json payload = {
      {"secret",
       {{"confirm_url", confirm_url},
        {"unsubscribe_url", unsubscribe_url},
        {"headers",
         {{"List-Unsubscribe", "<" + unsubscribe_url + ">"},
          {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}}}}},
  };
  return payload.dump();
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
      fields_(with_common_fields({
          {"email", "E-mail", FieldKind::email, true, {}},
          {"name", "Your name", FieldKind::text, false, {}},
      })) {}

http::Response NewsletterHandlers::page(std::string_view name, const std::string& action) const {
  auto response = http::Response::html(200, services_.pages.render(name, {{"action", action}, {"script", auto_submit}}));
  // The confirm page's one script, allowed by its hash and nothing else.
  response.with_header("Content-Security-Policy", "default-src 'self'; script-src '" + auto_submit_hash +
                                                      "'; base-uri 'none'; frame-ancestors 'none'; form-action " +
                                                      services_.config.http.public_url);
  return response;
}

void NewsletterHandlers::sign_up(const http::Request& request, http::Responder respond) const {
  auto submission = read_submission(request);
  limit_rate(services_.rate_limiter, submission, "newsletter");
  auto parsed = domain::parse_newsletter(submission.input);
  const auto& config = services_.config;
  if (auto* errors = std::get_if<std::vector<domain::FieldError>>(&parsed)) {
    auto form = echo_form(config.http.public_url + std::string(signup_path), fields_, submission.input, *errors);
    respond(services_.errors.render_with_form(submission.format, domain::Error::validation(*errors), form));
    return;
  }
  auto location = success_location(submission.input, config.forms.success_url.newsletter,
                                   config.http.allowed_origins, config.http.public_url);
  store::Answer answer{202, pending_answer, false};

  store::NewSignup signup;
  signup.id = domain::new_uuid_v7();
  signup.signup = std::move(std::get<domain::NewsletterSignup>(parsed));
  signup.consent_version = signup.signup.consent_version.value_or(config.forms.consent_version);
  signup.client_address = submission.client_address;
  // A filled honeypot or an instant submission gets exactly the answer a
  // real one gets; it is stored apart and mails nobody.
  if (auto spam = spam_signal(submission, config)) signup.spam_reason = std::string(domain::to_string(*spam));
  signup.confirm_token = domain::random_hex(link_token_bytes);
  signup.unsubscribe_token = domain::random_hex(link_token_bytes);
  signup.confirmation_payload =
      confirmation_payload(link(config.http.public_url, confirm_path, signup.confirm_token),
                           link(config.http.public_url, unsubscribe_path, signup.unsubscribe_token));
  signup.cooldown_minutes = config.newsletter.cooldown_minutes;
  signup.visitor_email_cap = config.limits.emails_per_recipient_per_day;
  signup.confirm_hours = config.newsletter.confirm_hours;
  auto claim = idempotency_claim(submission, "newsletter", answer);
  auto done = [this, respond, format = submission.format, location = std::move(location)](
                  store::Outcome<store::Answer> outcome) {
    if (auto* error = std::get_if<domain::Error>(&outcome)) return respond(services_.errors.render(format, *error));
    respond(success_response(format, std::get<store::Answer>(outcome), location));
  };
  with_captcha(services_.captcha, submission, services_.errors, respond,
               [this, signup = std::move(signup), claim = std::move(claim), answer, done = std::move(done)]() mutable {
                 services_.subscribers.sign_up(std::move(signup), std::move(claim), answer, std::move(done));
               });
}

void NewsletterHandlers::confirm_page(const http::Request& request, http::Responder respond) const {
  auto token = link_token(request);
  if (!token) return respond(services_.errors.invalid_link(404));
  auto action = services_.config.http.public_url + std::string(confirm_path) + "?token=" + *token;
  services_.subscribers.inspect_token(
      domain::sha256_hex(*token), "confirm",
      [this, respond, action = std::move(action)](store::Outcome<store::TokenInfo> outcome) {
        if (auto* error = std::get_if<domain::Error>(&outcome)) {
          return respond(services_.errors.render(Format::html, *error));
        }
        const auto& info = std::get<store::TokenInfo>(outcome);
        if (info.state == store::TokenState::usable) return respond(page("newsletter_confirm", action));
        if (info.state == store::TokenState::spent && info.subscriber == domain::SubscriberState::confirmed) {
          return respond(http::Response::see_other(
              absolute_url(services_.config.http.public_url, services_.config.newsletter.confirmed_url)));
        }
        respond(services_.errors.invalid_link(info.state == store::TokenState::unknown ? 404 : 410));
      });
}

void NewsletterHandlers::confirm(const http::Request& request, http::Responder respond) const {
  auto token = link_token(request);
  if (!token) return respond(services_.errors.invalid_link(404));
  services_.subscribers.confirm(
      domain::sha256_hex(*token), request.client_address,
      webhook_targets(services_.config, "subscriber.confirmed"),
      [this, respond](store::Outcome<store::ConfirmResult> outcome) {
        if (auto* error = std::get_if<domain::Error>(&outcome)) {
          return respond(services_.errors.render(Format::html, *error));
        }
        switch (std::get<store::ConfirmResult>(outcome)) {
          case store::ConfirmResult::unknown: return respond(services_.errors.invalid_link(404));
          case store::ConfirmResult::spent: return respond(services_.errors.invalid_link(410));
          case store::ConfirmResult::confirmed:
          case store::ConfirmResult::already_confirmed: break;
        }
        respond(http::Response::see_other(
            absolute_url(services_.config.http.public_url, services_.config.newsletter.confirmed_url)));
      });
}

void NewsletterHandlers::unsubscribe_page(const http::Request& request, http::Responder respond) const {
  auto token = link_token(request);
  if (!token) return respond(services_.errors.invalid_link(404));
  auto action = services_.config.http.public_url + std::string(unsubscribe_path) + "?token=" + *token;
  services_.subscribers.inspect_token(
      domain::sha256_hex(*token), "unsubscribe",
      [this, respond, action = std::move(action)](store::Outcome<store::TokenInfo> outcome) {
        if (auto* error = std::get_if<domain::Error>(&outcome)) {
          return respond(services_.errors.render(Format::html, *error));
        }
        if (std::get<store::TokenInfo>(outcome).state == store::TokenState::unknown) return respond(services_.errors.invalid_link(404));
        respond(page("newsletter_unsubscribe", action));
      });
}

void NewsletterHandlers::unsubscribe(const http::Request& request, http::Responder respond) const {
  bool one_click = is_one_click(request);
  auto token = link_token(request);
  if (!token) return respond(one_click ? http::Response::text(404, "Unknown link.\n") : services_.errors.invalid_link(404));
  services_.subscribers.unsubscribe(
      domain::sha256_hex(*token), request.client_address, [this, respond, one_click](store::Outcome<bool> outcome) {
        if (auto* error = std::get_if<domain::Error>(&outcome)) {
          return respond(services_.errors.render(one_click ? Format::json : Format::html, *error));
        }
        if (!std::get<bool>(outcome)) {
          return respond(one_click ? http::Response::text(404, "Unknown link.\n") : services_.errors.invalid_link(404));
        }
        if (one_click) return respond(http::Response::text(200, "Unsubscribed.\n"));
        respond(http::Response::see_other(
            absolute_url(services_.config.http.public_url, services_.config.newsletter.unsubscribed_url)));
      });
}

}  // namespace leadgate::handlers
