#pragma once
// What every public form post (estimate, newsletter, consultation) shares,
// as one pipeline a form handler walks through in order:
//
//   auto submission = form_.read(request);                 // 415, 400, 429
//   auto value = parse(submission.input);                  // 422: throw form_.refusal(…)
//   co_await form_.screen(submission);                     // captcha (422), rspamd
//   auto stored = co_await store.save(value, form_.claim(submission, answer), answer);
//   co_return form_.accepted(submission, stored);          // JSON answer, or 303 to the success page
//
// A new form is a new parse function and a new store call, not a copy of
// these steps.

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "async/task.hpp"
#include "domain/form_input.hpp"
#include "domain/spam_score.hpp"
#include "handlers/error_pages.hpp"
#include "handlers/form_echo.hpp"
#include "handlers/services.hpp"
#include "http/message.hpp"
#include "store/idempotency.hpp"

namespace leadgate::handlers {

struct Submission {
  Format format = Format::json;
  domain::FormInput input;
  std::optional<std::string> idempotency_key;
  std::string request_hash;  // hex SHA-256 of content type and body, for the key
  std::string client_address;  // the request's, as the server resolved it
  std::optional<std::string> user_agent;  // valid UTF-8 and at most 512 bytes, else absent
  // Its spam score: read() adds the signals of the post itself (honeypot,
  // fill time, links, a throwaway address), screen() rspamd's. At or above
  // forms.spam_threshold a bot gets the answer a person gets, and its post
  // is stored flagged, sending nothing.
  domain::SpamScore spam;
  // Of the free text, for the `duplicate` signal the store adds.
  std::optional<std::string> message_digest;
};

class FormPipeline {
 public:
  struct Form {
    std::string name;                // "estimate": rate-limit bucket and Idempotency-Key scope
    std::string path;                // where the form posts, for the echoed form
    std::vector<FieldSpec> fields;   // for showing the form again with its errors
    std::string success_url;         // forms.success_url.NAME
    std::string free_text_field = {};  // "message": where links and duplicates are looked for
  };

  FormPipeline(Services& services, Form form) : services_(services), form_(std::move(form)) {}

  // Decodes the body and takes a token from the client's bucket. Throws
  // 415 for other content types, 400 for a malformed body or
  // Idempotency-Key header, 429 (with Retry-After) when the bucket is empty.
  Submission read(const http::Request& request) const;

  // Whether the submission's score reaches forms.spam_threshold.
  bool is_spam(const Submission& submission) const;

  // The error as this form's refusal, with the visitor's entries kept;
  // `more` are field errors to add (a slot taken: "slot_start").
  FormRefusal refusal(const Submission& submission, const domain::Error& error,
                      const std::vector<domain::FieldError>& more = {}) const;

  // The checks that ask another server. The form's captcha token
  // (cf-turnstile-response, h-captcha-response or captcha_token) is checked
  // with the provider (at once with forms.captcha off): a missing token, or
  // a provider that cannot tell, throws a 422 on "captcha"; a refused or
  // reused token adds the `captcha` signal. Then rspamd scores the post
  // (forms.rspamd_url), unless it is spam already; an rspamd that does not
  // answer adds nothing.
  async::Task<void> screen(Submission& submission) const;

  // The claim that makes the write happen once per key; nothing without a key.
  std::optional<store::IdempotencyClaim> claim(const Submission& submission, const store::Answer& answer) const;

  // JSON: the answer itself (marked Idempotent-Replayed when it is a
  // repeat); HTML: 303 See Other to `_next` when its origin is allowed, else
  // to the configured success page.
  http::Response accepted(const Submission& submission, const store::Answer& stored) const;

 private:
  void add_spam_signals(Submission& submission) const;
  async::Task<void> verify_captcha(Submission& submission) const;

  Services& services_;
  Form form_;
};

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

// The first value of `field` when it is valid UTF-8; "" otherwise (absent,
// empty, or bytes that are not text).
std::string_view form_text(const domain::FormInput& input, std::string_view field);

// A configured page: a path is resolved against http.public_url.
std::string absolute_url(const std::string& public_url, const std::string& path_or_url);

}  // namespace leadgate::handlers
