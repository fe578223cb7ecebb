#pragma once
// What every public form post (estimate, newsletter, consultation) shares:
// body decoding, the answer format, Idempotency-Key, the success answer.

#include <functional>
#include <optional>
#include <span>
#include <string>

#include "config/config.hpp"
#include "domain/form_input.hpp"
#include "domain/spam.hpp"
#include "handlers/error_pages.hpp"
#include "http/captcha.hpp"
#include "http/responder.hpp"
#include "http/message.hpp"
#include "http/rate_limiter.hpp"
#include "store/idempotency.hpp"

namespace leadgate::handlers {

struct Submission {
  Format format = Format::json;
  domain::FormInput input;
  std::optional<std::string> idempotency_key;
  std::string request_hash;  // hex SHA-256 of content type and body, for the key
  std::string client_address;  // the request's, as the server resolved it
  std::optional<std::string> user_agent;  // valid UTF-8 and at most 512 bytes, else absent
};

// Throws domain::Error: 415 for other content types, 400 for a malformed
// body or Idempotency-Key header.
Submission read_submission(const http::Request& request);

// Takes a token from the client's bucket for `form`; throws the 429 (with
// Retry-After) when it is empty.
void limit_rate(http::RateLimiter& limiter, const Submission& submission, const std::string& form);

// Runs `then` once the form's captcha token (cf-turnstile-response,
// h-captcha-response or captcha_token) checks out with the provider; with
// forms.captcha off (`verifier` null), at once. A missing, reused or refused
// token gets a 422 on the field "captcha".
void with_captcha(http::CaptchaVerifier* verifier, const Submission& submission, const ErrorPages& errors,
                  const http::Responder& respond, std::function<void()> then);

// The honeypot and fill-time signals of this post, per forms.* configuration.
std::optional<domain::SpamSignal> spam_signal(const Submission& submission, const config::Config& config);

// The claim that makes the write happen once per key; nothing without a key.
std::optional<store::IdempotencyClaim> idempotency_claim(const Submission& submission, std::string scope,
                                                         const store::Answer& answer);

// Where a plain form post is sent after success: `_next` when its origin is
// allowed, else the configured page (relative paths resolve against
// http.public_url).
std::string success_location(const domain::FormInput& input, const std::string& configured,
                             std::span<const std::string> allowed_origins, const std::string& public_url);

// Links in e-mails (confirm, unsubscribe, cancel) carry 24 random bytes as
// 48 hex digits: 192 bits, far past what anyone could guess.
inline constexpr std::size_t link_token_bytes = 24;

// The ?token= of a link, if it has the shape of one; a malformed one never
// reaches the database.
std::optional<std::string> link_token(const http::Request& request);

// A configured page: a path is resolved against http.public_url.
std::string absolute_url(const std::string& public_url, const std::string& path_or_url);

// JSON: the answer itself (marked Idempotent-Replayed when it is a repeat);
// HTML: 303 See Other to `location`.
http::Response success_response(Format format, const store::Answer& answer, const std::string& location);

}  // namespace leadgate::handlers
