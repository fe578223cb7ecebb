#pragma once
// Server-side captcha checks (forms.captcha = turnstile or hcaptcha): the
// token a widget put in the form is sent to the provider's siteverify API
// with our secret before anything is stored. Both providers take the same
// form fields and answer {"success": true|false, …}. A token is accepted
// once: a repeat is refused here even if the provider would take it again.
// Calls run on a thread of their own; the I/O threads never wait on them.

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

namespace leadgate::http {

class CaptchaVerifier {
 public:
  using Done = std::function<void(bool accepted)>;

  CaptchaVerifier(std::string verify_url, std::string secret, std::chrono::seconds timeout);
  ~CaptchaVerifier();

  void verify(std::string token, std::string client_address, Done done);

 private:
  struct Check {
    std::string token;
    std::string client_address;
    Done done;
  };

  void run();
  bool ask_provider(const Check& check);
  // Remembers a token; false if it was seen before.
  bool first_use(const std::string& token);

  std::string verify_url_;
  std::string secret_;
  std::chrono::seconds timeout_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Check> queue_;
  bool stopping_ = false;
  std::unordered_set<std::string> used_;  // token hashes, bounded
  std::list<std::string> used_order_;
  std::thread thread_;
};

}  // namespace leadgate::http
