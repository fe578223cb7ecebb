// domain::detect_spam: the honeypot and the "_ts" fill-time check.

#include "domain/spam.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "form_builder.hpp"

namespace {

using leadgate::domain::detect_spam;
using leadgate::domain::SpamRules;
using leadgate::domain::SpamSignal;
using leadgate::domain::ValueType;
using leadgate::testing::FormBuilder;

constexpr std::int64_t now = 1'700'000'000;
const SpamRules rules{.honeypot_field = "_gotcha", .min_fill_seconds = 3};

FormBuilder form() { return FormBuilder().set("name", "Ana").set("email", "ana@example.com"); }

std::optional<SpamSignal> check(const FormBuilder& input, const SpamRules& with = rules) {
  return detect_spam(input.build(), with, now);
}

std::optional<SpamSignal> rendered_at(std::string ts) { return check(form().set("_ts", std::move(ts))); }

std::string seconds_ago(std::int64_t seconds) { return std::to_string(now - seconds); }

}  // namespace

TEST(spam, a_form_without_honeypot_or_timestamp_is_not_spam) { EXPECT_EQ(check(form()), std::nullopt); }

TEST(spam, signals_have_stable_names) {
  EXPECT_EQ(leadgate::domain::to_string(SpamSignal::honeypot), "honeypot");
  EXPECT_EQ(leadgate::domain::to_string(SpamSignal::too_fast), "too_fast");
}

// --- honeypot ---------------------------------------------------------------

TEST(spam, an_empty_or_blank_honeypot_is_not_spam) {
  EXPECT_EQ(check(form().set("_gotcha", "")), std::nullopt);
  EXPECT_EQ(check(form().set("_gotcha", " \t ")), std::nullopt);
}

TEST(spam, a_filled_honeypot_is_spam) {
  EXPECT_EQ(check(form().set("_gotcha", "http://spam.example")), SpamSignal::honeypot);
}

TEST(spam, a_honeypot_filled_in_any_repeated_value_is_spam) {
  EXPECT_EQ(check(form().list("_gotcha", {"", "x"})), SpamSignal::honeypot);
}

TEST(spam, a_honeypot_sent_as_a_json_object_is_spam) {
  EXPECT_EQ(check(form().typed("_gotcha", ValueType::invalid)), SpamSignal::honeypot);
}

TEST(spam, a_honeypot_sent_as_a_json_value_is_spam) {
  EXPECT_EQ(check(form().typed("_gotcha", ValueType::boolean, "true")), SpamSignal::honeypot);
  EXPECT_EQ(check(form().typed("_gotcha", ValueType::number, "0")), SpamSignal::honeypot);
}

TEST(spam, the_configured_honeypot_name_is_the_one_checked) {
  const SpamRules website_trap{.honeypot_field = "website", .min_fill_seconds = 3};
  EXPECT_EQ(check(form().set("website", "x"), website_trap), SpamSignal::honeypot);
  EXPECT_EQ(check(form().set("_gotcha", "x"), website_trap), std::nullopt);
}

TEST(spam, the_honeypot_wins_over_a_plausible_timestamp) {
  EXPECT_EQ(check(form().set("_gotcha", "x").set("_ts", seconds_ago(60))), SpamSignal::honeypot);
}

// --- _ts ----------------------------------------------------------------------

TEST(spam, a_form_filled_slower_than_the_minimum_is_not_spam) {
  EXPECT_EQ(rendered_at(seconds_ago(60)), std::nullopt);
  EXPECT_EQ(rendered_at(seconds_ago(3)), std::nullopt);  // exactly the minimum
}

TEST(spam, a_form_filled_faster_than_the_minimum_is_too_fast) {
  EXPECT_EQ(rendered_at(seconds_ago(2)), SpamSignal::too_fast);
  EXPECT_EQ(rendered_at(seconds_ago(0)), SpamSignal::too_fast);
}

TEST(spam, a_timestamp_in_milliseconds_is_understood) {
  EXPECT_EQ(rendered_at(seconds_ago(60) + "000"), std::nullopt);
  EXPECT_EQ(rendered_at(seconds_ago(1) + "500"), SpamSignal::too_fast);
}

TEST(spam, a_timestamp_with_a_fraction_is_understood) {
  EXPECT_EQ(rendered_at(seconds_ago(10) + ".25"), std::nullopt);
  EXPECT_EQ(rendered_at(seconds_ago(2) + ".5"), SpamSignal::too_fast);
  EXPECT_EQ(rendered_at(seconds_ago(10) + "123.4"), std::nullopt);  // milliseconds with a fraction
}

TEST(spam, surrounding_whitespace_in_the_timestamp_is_ignored) {
  EXPECT_EQ(rendered_at(" " + seconds_ago(60) + " "), std::nullopt);
}

TEST(spam, a_json_number_timestamp_is_understood) {
  EXPECT_EQ(check(form().typed("_ts", ValueType::number, seconds_ago(60))), std::nullopt);
  EXPECT_EQ(check(form().typed("_ts", ValueType::number, seconds_ago(1))), SpamSignal::too_fast);
}

// A visitor's clock that runs ahead of ours must not turn a lead into spam.
TEST(spam, a_timestamp_in_the_future_is_not_judged) {
  EXPECT_EQ(rendered_at(std::to_string(now + 120)), std::nullopt);
  EXPECT_EQ(rendered_at(std::to_string((now + 3600) * 1000)), std::nullopt);
  EXPECT_EQ(rendered_at(std::to_string(now + 1) + ".5"), std::nullopt);
}

TEST(spam, a_timestamp_that_is_not_a_number_is_too_fast) {
  for (std::string garbage : {"abc", "12abc", "1700000000s", "0x10", "1,5", "--1"}) {
    EXPECT_EQ(rendered_at(garbage), SpamSignal::too_fast) << garbage;
  }
}

TEST(spam, a_boolean_timestamp_is_too_fast) {
  EXPECT_EQ(check(form().typed("_ts", ValueType::boolean, "true")), SpamSignal::too_fast);
}

TEST(spam, a_minimum_of_zero_seconds_accepts_an_immediate_submission) {
  const SpamRules no_minimum{.honeypot_field = "_gotcha", .min_fill_seconds = 0};
  EXPECT_EQ(check(form().set("_ts", seconds_ago(0)), no_minimum), std::nullopt);
}

TEST(spam, a_timestamp_that_is_nan_or_infinite_is_too_fast) {
  for (std::string ts : {"nan", "NaN", "-inf", "inf"}) EXPECT_EQ(rendered_at(ts), SpamSignal::too_fast) << ts;
}

TEST(spam, a_timestamp_sent_as_a_json_object_is_too_fast) {
  EXPECT_EQ(check(form().typed("_ts", ValueType::invalid)), SpamSignal::too_fast);
}

TEST(spam, an_empty_timestamp_counts_as_absent_for_visitors_without_scripts) {
  EXPECT_EQ(rendered_at(""), std::nullopt);
  EXPECT_EQ(rendered_at("  "), std::nullopt);
}
