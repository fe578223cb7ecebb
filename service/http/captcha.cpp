#include "http/captcha.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <memory>

#include "domain/digest.hpp"
#include "log/log.hpp"

namespace leadgate::http {

namespace {

constexpr std::size_t remembered_tokens = 100000;
constexpr std::size_t max_queued_checks = 1000;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  if (body->size() + size * count > 64 * 1024) return 0;  // no provider answers with more
  body->append(data, size * count);
  return size * count;
}

std::string form_encode(CURL* curl, const std::string& text) {
  std::unique_ptr<char, decltype(&curl_free)> escaped(
      curl_easy_escape(curl, text.c_str(), static_cast<int>(text.size())), curl_free);
  return escaped ? std::string(escaped.get()) : std::string();
}

}  // namespace

CaptchaVerifier::CaptchaVerifier(std::string verify_url, std::string secret, std::chrono::seconds timeout)
    : verify_url_(std::move(verify_url)), secret_(std::move(secret)), timeout_(timeout), thread_([this] { run(); }) {}

CaptchaVerifier::~CaptchaVerifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void CaptchaVerifier::verify(std::string token, std::string client_address, Done done) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < max_queued_checks) {
      queue_.push_back(Check{std::move(token), std::move(client_address), std::move(done)});
      wake_.notify_one();
      return;
    }
  }
  done(false);
}

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

bool CaptchaVerifier::ask_provider(const Check& check) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return false;
  std::string body = "secret=" + form_encode(curl.get(), secret_) + "&response=" + form_encode(curl.get(), check.token) +
                     "&remoteip=" + form_encode(curl.get(), check.client_address);
  std::string answer;
  curl_easy_setopt(curl.get(), CURLOPT_URL, verify_url_.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout_.count()));
  if (curl_easy_perform(curl.get()) != CURLE_OK) {
    log::warn("captcha_unreachable", {{"url", verify_url_}});
    return false;
  }
  auto parsed = nlohmann::json::parse(answer, nullptr, false);
  return parsed.is_object() && parsed.value("success", false) == true;
}

void CaptchaVerifier::run() {
  while (true) {
    Check check;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      check = std::move(queue_.front());
      queue_.pop_front();
    }
    // A provider that cannot be reached fails the check: a form post is
    // refused rather than let through unchecked.
    bool accepted = !check.token.empty() && check.token.size() <= 4096 && first_use(check.token) && ask_provider(check);
    check.done(accepted);
  }
}

}  // namespace leadgate::http
