#include "http/captcha.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <memory>

#include "domain/digest.hpp"
#include "log/log.hpp"

namespace leadgate::http {

namespace {

constexpr std::size_t remembered_tokens = 100000;
constexpr std::size_t max_token_bytes = 4096;

std::string form_encode(const std::string& text) {
  std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(nullptr, text.c_str(), static_cast<int>(text.size())), curl_free);
  return escaped ? std::string(escaped.get()) : std::string();
}

}  // namespace

CaptchaVerifier::CaptchaVerifier(OutboundClient& client, std::string verify_url, std::string secret,
                                 std::chrono::milliseconds timeout)
    : client_(client), verify_url_(std::move(verify_url)), secret_(std::move(secret)), timeout_(timeout) {}

bool CaptchaVerifier::first_use(const std::string& token) {
  auto key = domain::sha256_hex(token);
  std::lock_guard lock(mutex_);
  if (!used_.insert(key).second) return false;
  used_order_.push_back(key);
  if (used_order_.size() > remembered_tokens) {
    used_.erase(used_order_.front());
    used_order_.pop_front();
  }
  return true;
}

void CaptchaVerifier::verify(std::string token, std::string client_address, Done done) {
  if (token.empty() || token.size() > max_token_bytes || !first_use(token)) {
    done(CaptchaVerdict::refused);
    return;
  }
  OutboundRequest request;
  request.url = verify_url_;
  request.body = "secret=" + form_encode(secret_) + "&response=" + form_encode(token) +
                 "&remoteip=" + form_encode(client_address);
  request.headers = {"Content-Type: application/x-www-form-urlencoded"};
  request.timeout = timeout_;
  client_.post(std::move(request), [url = verify_url_, done = std::move(done)](std::optional<OutboundAnswer> answer) {
    // A provider that cannot be reached (or is too slow) fails the check: a
    // form post is refused rather than let through unchecked.
    if (!answer) {
      log::warn("captcha_unreachable", {{"url", url}});
      done(CaptchaVerdict::unavailable);
      return;
    }
    // Only a JSON true passes and only a JSON false refuses; "true", 1 or
    // garbage say nothing (and value() would throw on a wrong type, on the
    // client's thread).
    auto parsed = nlohmann::json::parse(answer->body, nullptr, false);
    auto success = parsed.is_object() ? parsed.find("success") : parsed.end();
    if (success == parsed.end() || !success->is_boolean()) {
      log::warn("captcha_unreadable", {{"url", url}});
      done(CaptchaVerdict::unavailable);
      return;
    }
    done(success->get<bool>() ? CaptchaVerdict::accepted : CaptchaVerdict::refused);
  });
}

}  // namespace leadgate::http
