#pragma once
// Per client and form, a token bucket (limits.per_minute, refilled
// continuously, up to limits.burst). A client is its address, or an IPv6
// address's /64 (http::client_network), whatever the caller passes. Memory is
// bounded: past max_clients buckets the least recently used one is
// forgotten (a forgotten client starts with a full bucket, which only ever
// errs on the side of letting a person through).
//
// Per process, on purpose: the limit is a brake on abuse, not a quota, and
// keeping it in memory costs the form post nothing. With N serve processes
// behind a balancer, a client that is spread over all of them gets at most
// N times the limit; put the balancer on client affinity where that matters.

#include <chrono>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace leadgate::http {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(double per_minute, double burst, std::size_t max_clients = 100000);

  // Nothing when allowed (a token is taken); otherwise the seconds until
  // the next token, for Retry-After.
  std::optional<int> take(const std::string& client, const std::string& form, Clock::time_point now = Clock::now());

  // How many buckets are kept (never more than max_clients).
  std::size_t size() const;

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
    std::list<std::string>::iterator age;
  };

  double per_second_;
  double burst_;
  std::size_t max_clients_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> by_age_;  // most recently used first
};

}  // namespace leadgate::http
