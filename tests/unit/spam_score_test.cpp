// domain::SpamScore: how the signals add up, and the two helpers the
// signals need (rspamd's verdict as points, the message digest for
// duplicates); count_urls for the `links` signal.

#include "domain/spam_score.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "domain/links.hpp"

namespace {

using leadgate::domain::count_urls;
using leadgate::domain::message_digest;
using leadgate::domain::points_of;
using leadgate::domain::rspamd_points;
using leadgate::domain::SpamReason;
using leadgate::domain::SpamScore;

constexpr int threshold = 50;

TEST(spam_score, a_certain_sign_of_a_bot_is_spam_on_its_own) {
  for (auto reason : {SpamReason::honeypot, SpamReason::captcha, SpamReason::too_fast}) {
    SpamScore score;
    score.add(reason);
    EXPECT_TRUE(score.is_spam(threshold)) << to_string(reason);
  }
}

TEST(spam_score, a_doubtful_sign_is_not_spam_alone_but_two_are) {
  for (auto reason : {SpamReason::links, SpamReason::disposable_domain, SpamReason::duplicate}) {
    SpamScore score;
    score.add(reason);
    EXPECT_FALSE(score.is_spam(threshold)) << to_string(reason);
  }
  SpamScore two;
  two.add(SpamReason::links);
  two.add(SpamReason::disposable_domain);
  EXPECT_EQ(two.score(), points_of(SpamReason::links) + points_of(SpamReason::disposable_domain));
  EXPECT_TRUE(two.is_spam(threshold));
  EXPECT_EQ(two.reasons_array(), "{links,disposable_domain}");
  EXPECT_EQ(two.first_reason(), "links");
}

TEST(spam_score, each_reason_counts_once_and_the_sum_stops_at_100) {
  SpamScore score;
  score.add(SpamReason::links);
  score.add(SpamReason::links);
  EXPECT_EQ(score.score(), points_of(SpamReason::links));
  score.add(SpamReason::honeypot);
  score.add(SpamReason::too_fast);
  EXPECT_EQ(score.score(), 100);
  EXPECT_EQ(score.reasons().size(), 3u);
}

TEST(spam_score, a_clean_submission_has_no_reasons) {
  SpamScore score;
  EXPECT_EQ(score.score(), 0);
  EXPECT_EQ(score.reasons_array(), "{}");
  EXPECT_FALSE(score.first_reason().has_value());
  score.add(SpamReason::rspamd, 0);  // rspamd found nothing: no reason
  EXPECT_TRUE(score.reasons().empty());
}

TEST(spam_score, the_threshold_decides) {
  SpamScore score;
  score.add(SpamReason::links);  // 30
  EXPECT_TRUE(score.is_spam(30));
  EXPECT_FALSE(score.is_spam(31));
}

TEST(rspamd_points, rspamds_reject_score_is_the_default_threshold) {
  EXPECT_EQ(rspamd_points(15, 15), 50);
  EXPECT_EQ(rspamd_points(7.5, 15), 25);
  EXPECT_EQ(rspamd_points(45, 15), 100);
  EXPECT_EQ(rspamd_points(5, 15), 17);
  EXPECT_EQ(rspamd_points(4.9, 15), 0);  // ordinary mail gets a point or two: noise
  EXPECT_EQ(rspamd_points(0, 15), 0);
  EXPECT_EQ(rspamd_points(-3.2, 15), 0);
  EXPECT_EQ(rspamd_points(10, 0), 0);
  EXPECT_EQ(rspamd_points(std::numeric_limits<double>::quiet_NaN(), 15), 0);
}

TEST(message_digest, the_same_text_however_spaced_or_cased_is_the_same) {
  auto one = message_digest("We build great apps for your business today!");
  auto two = message_digest("  we build GREAT apps\n\nfor your   business today!\t");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one, two);
  EXPECT_NE(one, message_digest("We build great apps for your business tomorrow!"));
  EXPECT_EQ(one->size(), 64u);
}

TEST(message_digest, short_texts_that_people_send_alike_have_none) {
  EXPECT_FALSE(message_digest("Call me, please").has_value());
  EXPECT_FALSE(message_digest("").has_value());
}

TEST(count_urls, counts_each_link_a_reader_would_see) {
  EXPECT_EQ(count_urls("Hello, we need a shop."), 0u);
  EXPECT_EQ(count_urls("See https://a.example/x and www.b.com"), 2u);
  EXPECT_EQ(count_urls("cheap.com\ncheap-pills.net, http://x.org"), 3u);
  EXPECT_EQ(count_urls("Write to ana@example.com"), 1u);
}

}  // namespace
