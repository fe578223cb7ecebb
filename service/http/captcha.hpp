#pragma once
// Server-side captcha checks (forms.captcha = turnstile or hcaptcha): the
// token a widget put in the form is sent to the provider's siteverify API
// with our secret before anything is stored. Both providers take the same
// form fields and answer {"success": true|false, …}. A token is accepted
// once: a repeat is refused here even if the provider would take it again.
// Checks run concurrently on the OutboundClient's thread, each bounded by
// forms.captcha_timeout_seconds: a slow answer delays only its own form post.

#include <chrono>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <unordered_set>

#include "http/outbound.hpp"

namespace leadgate::http {

// What the check says of a token: the provider accepted it; refused it (or
// it was used before: a bot replaying one); or could not tell (unreachable,
// too slow, an answer that is not {"success": true|false}).
enum class CaptchaVerdict { accepted, refused, unavailable };

class CaptchaVerifier {
 public:
  using Done = std::function<void(CaptchaVerdict)>;

  CaptchaVerifier(OutboundClient& client, std::string verify_url, std::string secret,
                  std::chrono::milliseconds timeout);

  // `done` runs exactly once, on the client's thread or at once.
  void verify(std::string token, std::string client_address, Done done);

 private:
  // Remembers a token; false if it was seen before.
  bool first_use(const std::string& token);

  OutboundClient& client_;
  std::string verify_url_;
  std::string secret_;
  std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::unordered_set<std::string> used_;  // token hashes, bounded
  std::list<std::string> used_order_;
};

}  // namespace leadgate::http
