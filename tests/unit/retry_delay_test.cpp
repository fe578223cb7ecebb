// mail::retry_delay: seconds until the next attempt, base · 2^(attempts−1)
// capped at max, times the jitter factor.

#include <gtest/gtest.h>

#include <chrono>

#include "mail/worker.hpp"

namespace {

using leadgate::mail::retry_delay;
using std::chrono::seconds;

const seconds base{30};
const seconds max{3600};

}  // namespace

TEST(retry_delay, the_first_retry_waits_the_base_delay) {
  EXPECT_DOUBLE_EQ(retry_delay(1, base, max, 1.0), 30.0);
}

TEST(retry_delay, each_further_attempt_doubles_the_delay) {
  EXPECT_DOUBLE_EQ(retry_delay(2, base, max, 1.0), 60.0);
  EXPECT_DOUBLE_EQ(retry_delay(3, base, max, 1.0), 120.0);
  EXPECT_DOUBLE_EQ(retry_delay(4, base, max, 1.0), 240.0);
  EXPECT_DOUBLE_EQ(retry_delay(5, base, max, 1.0), 480.0);
  EXPECT_DOUBLE_EQ(retry_delay(7, base, max, 1.0), 1920.0);
  for (int attempts = 1; attempts < 7; ++attempts) {
    EXPECT_DOUBLE_EQ(retry_delay(attempts + 1, base, max, 1.0), 2 * retry_delay(attempts, base, max, 1.0));
  }
}

TEST(retry_delay, the_delay_is_capped_at_max) {
  EXPECT_DOUBLE_EQ(retry_delay(8, base, max, 1.0), 3600.0);  // 30 · 2^7 = 3840
  EXPECT_DOUBLE_EQ(retry_delay(20, base, max, 1.0), 3600.0);
  EXPECT_DOUBLE_EQ(retry_delay(1000, base, max, 1.0), 3600.0);
  EXPECT_DOUBLE_EQ(retry_delay(2147483647, base, max, 1.0), 3600.0);
  // A cap that is exactly a doubling step.
  EXPECT_DOUBLE_EQ(retry_delay(3, seconds{10}, seconds{40}, 1.0), 40.0);
  EXPECT_DOUBLE_EQ(retry_delay(4, seconds{10}, seconds{40}, 1.0), 40.0);
}

TEST(retry_delay, a_max_below_the_base_caps_even_the_first_retry) {
  EXPECT_DOUBLE_EQ(retry_delay(1, seconds{60}, seconds{10}, 1.0), 10.0);
}

TEST(retry_delay, jitter_multiplies_the_delay) {
  EXPECT_DOUBLE_EQ(retry_delay(1, base, max, 0.5), 15.0);
  EXPECT_DOUBLE_EQ(retry_delay(3, base, max, 1.25), 150.0);
  EXPECT_DOUBLE_EQ(retry_delay(3, base, max, 0.5), 60.0);
}

TEST(retry_delay, jitter_applies_after_the_cap) {
  EXPECT_DOUBLE_EQ(retry_delay(20, base, max, 0.5), 1800.0);
  EXPECT_DOUBLE_EQ(retry_delay(20, base, max, 1.4), 5040.0);
}

TEST(retry_delay, jittered_delays_stay_within_half_and_one_and_a_half_times) {
  for (int attempts = 1; attempts <= 12; ++attempts) {
    double plain = retry_delay(attempts, base, max, 1.0);
    EXPECT_GE(retry_delay(attempts, base, max, 0.5), plain * 0.5);
    EXPECT_LT(retry_delay(attempts, base, max, 1.4999), plain * 1.5);
  }
}

TEST(retry_delay, zero_or_negative_attempts_are_treated_as_the_first) {
  EXPECT_DOUBLE_EQ(retry_delay(0, base, max, 1.0), 30.0);
  EXPECT_DOUBLE_EQ(retry_delay(-1, base, max, 1.0), 30.0);
  EXPECT_DOUBLE_EQ(retry_delay(-1000, base, max, 1.0), 30.0);
  EXPECT_DOUBLE_EQ(retry_delay(0, base, max, 0.5), 15.0);
}

// Not a delay, but the same worker arithmetic: how long a claimed batch may
// keep starting sends.
TEST(lease_allows_another, only_in_the_first_half_of_the_lease) {
  using leadgate::mail::lease_allows_another;
  EXPECT_TRUE(lease_allows_another(seconds(0), 300));
  EXPECT_TRUE(lease_allows_another(seconds(149), 300));
  EXPECT_FALSE(lease_allows_another(seconds(150), 300));
  EXPECT_FALSE(lease_allows_another(seconds(480), 300));  // 16 webhooks timing out after 30 s each
  EXPECT_FALSE(lease_allows_another(seconds(0), 0));
}
