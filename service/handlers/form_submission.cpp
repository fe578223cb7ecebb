#include "handlers/form_submission.hpp"

#include <algorithm>
#include <chrono>

#include "async/callback.hpp"
#include "domain/digest.hpp"
#include "domain/links.hpp"
#include "domain/spam.hpp"
#include "domain/text.hpp"
#include "http/client_address.hpp"
#include "http/form_body.hpp"
#include "http/origin.hpp"
#include "http/query.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::size_t max_idempotency_key = 255;
constexpr std::size_t max_user_agent = 512;

bool is_visible_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7F; });
}

std::optional<std::string> bounded_user_agent(std::optional<std::string_view> header) {
  if (!header) return std::nullopt;
  auto value = domain::trim(*header);
  if (value.size() > max_user_agent) {
    value = value.substr(0, max_user_agent);
    // Do not cut a UTF-8 character in half.
    while (!value.empty() && (static_cast<unsigned char>(value.back()) & 0xC0) == 0x80) value.remove_suffix(1);
    if (!value.empty() && static_cast<unsigned char>(value.back()) >= 0xC0) value.remove_suffix(1);
  }
  if (value.empty() || !domain::is_valid_utf8(value) || domain::has_control_characters(value, domain::Lines::single)) {
    return std::nullopt;
  }
  return std::string(value);
}

}  // namespace

std::string_view form_text(const domain::FormInput& input, std::string_view field) {
  const auto* value = field.empty() ? nullptr : input.find(field);
  if (value == nullptr || value->values.empty() || !domain::is_valid_utf8(value->values.front())) return {};
  return value->values.front();
}

Submission FormPipeline::read(const http::Request& request) const {
  Submission submission;
  submission.format = format_for(request);
  auto content_type = request.header("content-type").value_or("");
  submission.input = http::decode_form_body(content_type, request.body);
  if (auto key = request.header("idempotency-key")) {
    auto trimmed = domain::trim(*key);
    if (trimmed.empty() || trimmed.size() > max_idempotency_key || !is_visible_ascii(trimmed)) {
      throw domain::Error(domain::ErrorKind::bad_request,
                          "The Idempotency-Key header must be 1-255 visible ASCII characters.");
    }
    submission.idempotency_key = std::string(trimmed);
    submission.request_hash = domain::sha256_hex(std::string(content_type) + '\n' + request.body);
  }
  submission.client_address = request.client_address;
  submission.user_agent = bounded_user_agent(request.header("user-agent"));

  if (auto wait = services_.rate_limiter.take(submission.client_address, form_.name)) {
    domain::Error error(domain::ErrorKind::rate_limited, "Too many submissions from your address. Please wait a moment.");
    error.with_header("Retry-After", std::to_string(*wait));
    throw error;
  }

  add_spam_signals(submission);
  return submission;
}

// The signals in the post itself: cheap, no I/O.
void FormPipeline::add_spam_signals(Submission& submission) const {
  const auto& forms = services_.config.forms;
  const auto& input = submission.input;
  auto& spam = submission.spam;
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
  domain::SpamRules rules{forms.honeypot_field, forms.min_fill_seconds};
  if (domain::filled_honeypot(input, rules)) spam.add(domain::SpamReason::honeypot);
  if (domain::too_fast(input, rules, now.count())) spam.add(domain::SpamReason::too_fast);
  auto text = form_text(input, form_.free_text_field);
  if (domain::count_urls(text) > static_cast<std::size_t>(forms.max_links)) spam.add(domain::SpamReason::links);
  submission.message_digest = domain::message_digest(text);
  auto email = form_text(input, "email");
  if (auto at = email.rfind('@'); at != std::string_view::npos &&
                                  services_.disposable_domains.contains(domain::trim(email.substr(at + 1)))) {
    spam.add(domain::SpamReason::disposable_domain);
  }
}

FormRefusal FormPipeline::refusal(const Submission& submission, const domain::Error& error,
                                  const std::vector<domain::FieldError>& more) const {
  auto errors = error.field_errors();
  errors.insert(errors.end(), more.begin(), more.end());
  return FormRefusal(error, echo_form(services_.config.http.public_url + form_.path, form_.fields, submission.input,
                                      errors));
}

bool FormPipeline::is_spam(const Submission& submission) const {
  return submission.spam.is_spam(services_.config.forms.spam_threshold);
}

async::Task<void> FormPipeline::screen(Submission& submission) const {
  co_await verify_captcha(submission);
  auto* rspamd = services_.rspamd;
  if (rspamd == nullptr || is_spam(submission)) co_return;
  http::RspamdSubmission message{form_.name,
                                 std::string(form_text(submission.input, "email")),
                                 std::string(form_text(submission.input, "name")),
                                 std::string(form_text(submission.input, form_.free_text_field)),
                                 submission.client_address,
                                 submission.user_agent};
  auto verdict = co_await async::from_callback<std::optional<http::RspamdVerdict>>(
      [&](std::function<void(std::optional<http::RspamdVerdict>)> done) { rspamd->check(message, std::move(done)); });
  services_.metrics.count_rspamd_check(verdict.has_value());
  if (verdict) submission.spam.add(domain::SpamReason::rspamd, domain::rspamd_points(verdict->score, verdict->required_score));
}

// No token (a page without the widget) and a provider that cannot tell are
// the visitor's to fix or retry: 422. A token the provider refuses, or one
// used before, is a bot's: a spam signal, the answer unchanged.
async::Task<void> FormPipeline::verify_captcha(Submission& submission) const {
  auto* verifier = services_.captcha;
  if (verifier == nullptr) co_return;
  std::string token;
  for (std::string_view field : {"cf-turnstile-response", "h-captcha-response", "captcha_token"}) {
    const auto* value = submission.input.find(field);
    if (value != nullptr && value->values.size() == 1 && !value->values.front().empty()) token = value->values.front();
  }
  auto refusal = domain::Error::validation(
      {domain::FieldError{"captcha", "captcha_failed", "Please complete the check that you are not a robot."}});
  if (token.empty()) throw refusal;
  auto verdict = co_await async::from_callback<http::CaptchaVerdict>([&](std::function<void(http::CaptchaVerdict)> done) {
    verifier->verify(std::move(token), submission.client_address, std::move(done));
  });
  if (verdict == http::CaptchaVerdict::unavailable) throw refusal;
  if (verdict == http::CaptchaVerdict::refused) submission.spam.add(domain::SpamReason::captcha);
}

std::optional<store::IdempotencyClaim> FormPipeline::claim(const Submission& submission,
                                                            const store::Answer& answer) const {
  if (!submission.idempotency_key) return std::nullopt;
  // Scoped per form and per client network (as the rate limits key it): a
  // key another client chose, by chance or to probe, neither replays its
  // answer nor blocks it. The network is kept as a digest, not an address.
  auto client = domain::sha256_hex(http::client_network(submission.client_address)).substr(0, 32);
  return store::IdempotencyClaim{form_.name + ":" + client, *submission.idempotency_key, submission.request_hash,
                                 answer.status, answer.body};
}

http::Response FormPipeline::accepted(const Submission& submission, const store::Answer& stored) const {
  const auto& site = services_.config.http;
  if (submission.format == Format::html) {
    return http::Response::see_other(
        success_location(submission.input, form_.success_url, site.allowed_origins, site.public_url));
  }
  auto response = http::Response::json(stored.status, stored.body);
  if (stored.replayed) response.with_header("Idempotent-Replayed", "true");
  return response;
}

std::string success_location(const domain::FormInput& input, const std::string& configured,
                             std::span<const std::string> allowed_origins, const std::string& public_url) {
  if (const auto* next = input.find("_next"); next != nullptr && next->values.size() == 1) {
    const auto& target = next->values.front();
    if (domain::is_valid_utf8(target) && !domain::has_control_characters(target, domain::Lines::single) &&
        http::origin_allowed(target, allowed_origins)) {
      return target;
    }
  }
  return absolute_url(public_url, configured);
}

std::optional<std::string> link_token(const http::Request& request) {
  auto token = http::query_value(request.query(), "token");
  bool well_formed = token && token->size() == link_token_bytes * 2 &&
                     std::all_of(token->begin(), token->end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
  return well_formed ? token : std::nullopt;
}

std::string absolute_url(const std::string& public_url, const std::string& path_or_url) {
  return path_or_url.starts_with('/') ? public_url + path_or_url : path_or_url;
}

}  // namespace leadgate::handlers
