#include "http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

#include "http/client_address.hpp"

namespace leadgate::http {

RateLimiter::RateLimiter(double per_minute, double burst, std::size_t max_clients)
    : per_second_(per_minute / 60.0), burst_(burst), max_clients_(max_clients) {}

std::optional<int> RateLimiter::take(const std::string& client, const std::string& form, Clock::time_point now) {
  std::string key = form + '\n' + client_network(client);
  std::lock_guard lock(mutex_);
  auto found = buckets_.find(key);
  if (found == buckets_.end()) {
    if (buckets_.size() >= max_clients_) {
      buckets_.erase(by_age_.back());
      by_age_.pop_back();
    }
    by_age_.push_front(key);
    found = buckets_.emplace(key, Bucket{burst_, now, by_age_.begin()}).first;
  } else {
    by_age_.splice(by_age_.begin(), by_age_, found->second.age);
  }
  auto& bucket = found->second;
  double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(burst_, bucket.tokens + elapsed * per_second_);
  bucket.updated = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  return std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / per_second_)));
}

std::size_t RateLimiter::size() const {
  std::lock_guard lock(mutex_);
  return buckets_.size();
}

}  // namespace leadgate::http
