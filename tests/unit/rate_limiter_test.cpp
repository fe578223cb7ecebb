// The per-address, per-form brake on form posts (docs/api-behaviour.md,
// "Rate limits"): a burst, then one post per refill interval, and bounded
// memory however many addresses are seen.
#include <gtest/gtest.h>

#include <string>

#include "http/rate_limiter.hpp"

namespace leadgate::http {
namespace {

using namespace std::chrono_literals;

TEST(rate_limiter, a_burst_passes_then_the_next_post_waits_for_its_token) {
  RateLimiter limiter(/*per_minute=*/6, /*burst=*/3);
  auto now = RateLimiter::Clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.take("10.0.0.1", "estimate", now), std::nullopt) << i;
  EXPECT_EQ(limiter.take("10.0.0.1", "estimate", now), 10);  // one token every 10 s
  EXPECT_EQ(limiter.take("10.0.0.1", "estimate", now + 4s), 6);
  EXPECT_EQ(limiter.take("10.0.0.1", "estimate", now + 10s), std::nullopt);
  EXPECT_TRUE(limiter.take("10.0.0.1", "estimate", now + 10s).has_value());
}

TEST(rate_limiter, each_address_and_each_form_has_its_own_bucket) {
  RateLimiter limiter(1, 1);
  auto now = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.take("10.0.0.1", "estimate", now), std::nullopt);
  EXPECT_TRUE(limiter.take("10.0.0.1", "estimate", now).has_value());
  EXPECT_EQ(limiter.take("10.0.0.2", "estimate", now), std::nullopt);
  EXPECT_EQ(limiter.take("10.0.0.1", "newsletter", now), std::nullopt);
}

TEST(rate_limiter, memory_is_bounded_by_forgetting_the_least_recently_seen_address) {
  RateLimiter limiter(1, 1, /*max_clients=*/100);
  auto now = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.take("10.0.0.1", "estimate", now), std::nullopt);
  for (int i = 0; i < 1000; ++i) limiter.take("10.1.0." + std::to_string(i), "estimate", now);
  EXPECT_EQ(limiter.size(), 100u);
  // Forgotten, so it starts again with a full bucket.
  EXPECT_EQ(limiter.take("10.0.0.1", "estimate", now), std::nullopt);

  // A recently seen address is kept while others come and go.
  RateLimiter busy(1, 1, 10);
  EXPECT_EQ(busy.take("10.0.0.1", "estimate", now), std::nullopt);
  for (int i = 0; i < 100; ++i) {
    busy.take("10.0.0.1", "estimate", now);
    busy.take("10.2.0." + std::to_string(i), "estimate", now);
  }
  EXPECT_TRUE(busy.take("10.0.0.1", "estimate", now).has_value());
}

}  // namespace
}  // namespace leadgate::http
