// domain::parse_estimate and the FieldReader rules it is made of ("Get a free
// estimate"; docs/api-behaviour.md, "Fields").

#include "domain/estimate.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "form_builder.hpp"

namespace {

using leadgate::domain::EstimateOptions;
using leadgate::domain::EstimateSubmission;
using leadgate::domain::FieldError;
using leadgate::domain::parse_estimate;
using leadgate::domain::ValueType;
using leadgate::testing::FormBuilder;
using leadgate::testing::repeat;

const EstimateOptions options{.budgets = {"under_10k", "10k_25k", "not_sure"},
                              .services = {"web_app", "design", "api"}};

const std::vector<std::string> single_line_optional_fields = {"company",      "timeline",   "page_url",
                                                              "referrer",     "utm_source", "utm_medium",
                                                              "utm_campaign", "utm_term",   "utm_content"};

const std::vector<std::string> attribution_fields = {"page_url",     "referrer", "utm_source", "utm_medium",
                                                     "utm_campaign", "utm_term", "utm_content"};

const std::string e_acute = "\xC3\xA9";  // one character, two bytes

FormBuilder valid_form() {
  return FormBuilder()
      .set("name", "Ana Mar\u00EDa")
      .set("email", "ana@example.com")
      .set("message", "We need a new booking system for our clinic.");
}

std::vector<FieldError> errors_of(const FormBuilder& form) {
  auto result = parse_estimate(form.build(), options);
  if (auto* errors = std::get_if<std::vector<FieldError>>(&result)) return *errors;
  return {};
}

// The error codes reported for `field`, in order.
std::vector<std::string> codes(const FormBuilder& form, std::string_view field) {
  std::vector<std::string> found;
  for (const auto& error : errors_of(form)) {
    if (error.field == field) found.push_back(error.code);
  }
  return found;
}

std::vector<std::string> only(std::string code) { return {std::move(code)}; }

// Parses a form that must be valid; fails the test (and returns an empty
// submission) otherwise.
EstimateSubmission accepted(const FormBuilder& form) {
  auto result = parse_estimate(form.build(), options);
  if (auto* submission = std::get_if<EstimateSubmission>(&result)) return *submission;
  std::string listed;
  for (const auto& error : std::get<std::vector<FieldError>>(result)) listed += error.field + ":" + error.code + " ";
  ADD_FAILURE() << "expected the form to be accepted, got errors: " << listed;
  return {};
}

}  // namespace

// --- the whole form ---------------------------------------------------------

TEST(estimate, minimal_valid_form_is_accepted_with_values_trimmed_and_email_normalised) {
  auto submission = accepted(valid_form().set("name", "  Ana  ").set("email", " Ana@Example.COM "));
  EXPECT_EQ(submission.name, "Ana");
  EXPECT_EQ(submission.email, "Ana@example.com");
  EXPECT_EQ(submission.message, "We need a new booking system for our clinic.");
  EXPECT_FALSE(submission.company.has_value());
  EXPECT_FALSE(submission.phone.has_value());
  EXPECT_FALSE(submission.budget.has_value());
  EXPECT_TRUE(submission.services.empty());
  EXPECT_FALSE(submission.consent_marketing);
  EXPECT_FALSE(submission.attribution.page_url.has_value());
}

TEST(estimate, every_optional_field_is_carried_into_the_submission) {
  auto submission = accepted(valid_form()
                                 .set("company", "Acme GmbH")
                                 .set("phone", "+49 (30) 123-45.67")
                                 .set("budget", "10k_25k")
                                 .set("timeline", "Q3")
                                 .list("services", {"api", "design"})
                                 .set("consent_marketing", "on")
                                 .set("consent_version", "2024-05.b")
                                 .set("page_url", "https://studio.example/estimate")
                                 .set("referrer", "https://www.google.com/")
                                 .set("utm_source", "newsletter")
                                 .set("utm_medium", "email")
                                 .set("utm_campaign", "spring")
                                 .set("utm_term", "web app")
                                 .set("utm_content", "button"));
  EXPECT_EQ(submission.company, "Acme GmbH");
  EXPECT_EQ(submission.phone, "+49 (30) 123-45.67");
  EXPECT_EQ(submission.budget, "10k_25k");
  EXPECT_EQ(submission.timeline, "Q3");
  EXPECT_EQ(submission.services, (std::vector<std::string>{"api", "design"}));
  EXPECT_TRUE(submission.consent_marketing);
  EXPECT_EQ(submission.consent_version, "2024-05.b");
  EXPECT_EQ(submission.attribution.page_url, "https://studio.example/estimate");
  EXPECT_EQ(submission.attribution.referrer, "https://www.google.com/");
  EXPECT_EQ(submission.attribution.utm_source, "newsletter");
  EXPECT_EQ(submission.attribution.utm_medium, "email");
  EXPECT_EQ(submission.attribution.utm_campaign, "spring");
  EXPECT_EQ(submission.attribution.utm_term, "web app");
  EXPECT_EQ(submission.attribution.utm_content, "button");
}

TEST(estimate, all_errors_are_reported_at_once) {
  auto errors = errors_of(FormBuilder()
                              .set("email", "not-an-address")
                              .set("message", "short")
                              .set("phone", "call me")
                              .set("budget", "a million"));
  std::vector<std::string> fields;
  for (const auto& error : errors) fields.push_back(error.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"name", "email", "message", "phone", "budget"}));
  for (const auto& error : errors) EXPECT_FALSE(error.message.empty()) << error.field;
}

TEST(estimate, unknown_and_underscore_fields_are_ignored) {
  accepted(valid_form().set("_gotcha", "").set("_ts", "1700000000").set("_next", "/x").set("favourite_color", "blue"));
}

// --- name -------------------------------------------------------------------

TEST(estimate, name_is_required) {
  EXPECT_EQ(codes(valid_form().without("name"), "name"), only("required"));
  EXPECT_EQ(codes(valid_form().set("name", ""), "name"), only("required"));
  EXPECT_EQ(codes(valid_form().set("name", " \t "), "name"), only("required"));
}

TEST(estimate, name_of_one_character_is_accepted) { EXPECT_EQ(accepted(valid_form().set("name", "X")).name, "X"); }

TEST(estimate, name_of_200_characters_is_accepted) { accepted(valid_form().set("name", std::string(200, 'a'))); }

TEST(estimate, name_longer_than_200_characters_is_too_long) {
  EXPECT_EQ(codes(valid_form().set("name", std::string(201, 'a')), "name"), only("too_long"));
}

TEST(estimate, name_length_is_counted_in_characters_not_bytes) {
  accepted(valid_form().set("name", repeat(e_acute, 200)));  // 400 bytes
  EXPECT_EQ(codes(valid_form().set("name", repeat(e_acute, 201)), "name"), only("too_long"));
}

TEST(estimate, name_containing_a_link_is_refused) {
  EXPECT_EQ(codes(valid_form().set("name", "Win at cheap-pills.com"), "name"), only("contains_url"));
  EXPECT_EQ(codes(valid_form().set("name", "visit bit.ly/x"), "name"), only("contains_url"));
}

TEST(estimate, names_with_dots_and_apostrophes_are_accepted) {
  EXPECT_EQ(accepted(valid_form().set("name", "J.R.R. Tolkien")).name, "J.R.R. Tolkien");
  EXPECT_EQ(accepted(valid_form().set("name", "Dr. O'Neil")).name, "Dr. O'Neil");
}

TEST(estimate, name_with_invalid_utf8_is_rejected_as_invalid_encoding) {
  EXPECT_EQ(codes(valid_form().set("name", "Caf\xE9"), "name"), only("invalid_encoding"));
}

// --- email ------------------------------------------------------------------

TEST(estimate, email_is_required) {
  EXPECT_EQ(codes(valid_form().without("email"), "email"), only("required"));
  EXPECT_EQ(codes(valid_form().set("email", "  "), "email"), only("required"));
}

TEST(estimate, malformed_email_is_rejected) {
  EXPECT_EQ(codes(valid_form().set("email", "ana@localhost"), "email"), only("invalid_email"));
  EXPECT_EQ(codes(valid_form().set("email", "ana.example.com"), "email"), only("invalid_email"));
}

TEST(estimate, email_longer_than_254_characters_is_rejected) {
  EXPECT_EQ(codes(valid_form().set("email", std::string(250, 'a') + "@x.com"), "email"), only("too_long"));
}

TEST(estimate, email_with_header_injection_is_rejected) {
  EXPECT_EQ(codes(valid_form().set("email", "ana@example.com\r\nBcc: x@example.com"), "email"),
            only("control_characters"));
}

// --- message ----------------------------------------------------------------

TEST(estimate, message_is_required) { EXPECT_EQ(codes(valid_form().without("message"), "message"), only("required")); }

TEST(estimate, message_shorter_than_10_characters_is_too_short) {
  EXPECT_EQ(codes(valid_form().set("message", "123456789"), "message"), only("too_short"));
  accepted(valid_form().set("message", "1234567890"));
}

TEST(estimate, message_length_is_counted_in_characters_not_bytes) {
  // Nine characters but eighteen bytes: still too short.
  EXPECT_EQ(codes(valid_form().set("message", repeat(e_acute, 9)), "message"), only("too_short"));
  accepted(valid_form().set("message", repeat(e_acute, 5000)));
  EXPECT_EQ(codes(valid_form().set("message", repeat(e_acute, 5001)), "message"), only("too_long"));
}

TEST(estimate, message_longer_than_5000_characters_is_too_long) {
  accepted(valid_form().set("message", std::string(5000, 'm')));
  EXPECT_EQ(codes(valid_form().set("message", std::string(5001, 'm')), "message"), only("too_long"));
}

TEST(estimate, message_may_span_several_lines_with_tabs) {
  const std::string text = "Hello,\r\n\r\nwe need:\n\t- an app\n\t- a website";
  EXPECT_EQ(accepted(valid_form().set("message", text)).message, text);
}

TEST(estimate, message_with_other_control_characters_is_rejected) {
  EXPECT_EQ(codes(valid_form().set("message", "Hello there\x1B[2J"), "message"), only("control_characters"));
  EXPECT_EQ(codes(valid_form().set("message", "Hello there\xC2\x85"), "message"), only("control_characters"));
}

// --- invisible formatting ----------------------------------------------------

TEST(estimate, a_direction_override_or_invisible_character_in_a_single_line_field_is_rejected) {
  // "Ana \u202Emoc.live" shows as "Ana evil.com" in a mail client or the admin page.
  for (const char* invisible : {"\u202E", "\u202A", "\u2066", "\u2069", "\u200E", "\u200F", "\u061C",
                                "\u200B", "\u2060", "\uFEFF", "\u2028", "\u2029", "\u00AD"}) {
    EXPECT_EQ(codes(valid_form().set("name", std::string("Ana ") + invisible + "moc.live"), "name"),
              only("invisible_characters"))
        << invisible;
    EXPECT_EQ(codes(valid_form().set("company", std::string("Acme") + invisible), "company"),
              only("invisible_characters"))
        << invisible;
  }
}

TEST(estimate, joiners_that_names_need_are_kept) {
  const std::string persian = "\u0645\u06cc\u200c\u0631\u0648\u062f";  // a ZWNJ inside
  EXPECT_EQ(accepted(valid_form().set("name", persian)).name, persian);
  accepted(valid_form().set("name", "Family \U0001F468\u200D\U0001F469"));  // a ZWJ emoji sequence
}

// --- optional single-line text ----------------------------------------------

TEST(estimate, company_longer_than_200_characters_is_too_long) {
  accepted(valid_form().set("company", std::string(200, 'c')));
  EXPECT_EQ(codes(valid_form().set("company", std::string(201, 'c')), "company"), only("too_long"));
}

TEST(estimate, empty_optional_fields_count_as_absent) {
  auto submission = accepted(valid_form().set("company", "  ").set("phone", "").set("budget", "").set("timeline", ""));
  EXPECT_FALSE(submission.company.has_value());
  EXPECT_FALSE(submission.phone.has_value());
  EXPECT_FALSE(submission.budget.has_value());
  EXPECT_FALSE(submission.timeline.has_value());
}

TEST(estimate, timeline_longer_than_100_characters_is_too_long) {
  accepted(valid_form().set("timeline", std::string(100, 't')));
  EXPECT_EQ(codes(valid_form().set("timeline", std::string(101, 't')), "timeline"), only("too_long"));
}

TEST(estimate, each_attribution_field_longer_than_500_characters_is_too_long) {
  for (const auto& field : attribution_fields) {
    accepted(valid_form().set(field, std::string(500, 'u')));
    EXPECT_EQ(codes(valid_form().set(field, std::string(501, 'u')), field), only("too_long")) << field;
  }
}

TEST(estimate, line_breaks_are_rejected_in_every_single_line_field) {
  for (const auto& field : single_line_optional_fields) {
    for (std::string value : {"a\nb", "a\rb", "a\r\nb"}) {
      EXPECT_EQ(codes(valid_form().set(field, value), field), only("control_characters")) << field;
    }
  }
  EXPECT_EQ(codes(valid_form().set("name", "Ana\nBcc: x@example.com"), "name"), only("control_characters"));
}

// --- phone ------------------------------------------------------------------

TEST(estimate, phone_of_40_allowed_characters_is_accepted) {
  EXPECT_EQ(accepted(valid_form().set("phone", std::string(40, '1'))).phone, std::string(40, '1'));
}

TEST(estimate, phone_longer_than_40_characters_is_too_long) {
  EXPECT_EQ(codes(valid_form().set("phone", std::string(41, '1')), "phone"), only("too_long"));
}

TEST(estimate, phone_with_letters_is_invalid) {
  EXPECT_EQ(codes(valid_form().set("phone", "+1 555 CALL-NOW"), "phone"), only("invalid_phone"));
  EXPECT_EQ(codes(valid_form().set("phone", "()-"), "phone"), only("invalid_phone"));
}

// --- budget and services ----------------------------------------------------

TEST(estimate, budget_must_be_one_of_the_configured_options) {
  EXPECT_EQ(accepted(valid_form().set("budget", "not_sure")).budget, "not_sure");
  EXPECT_EQ(codes(valid_form().set("budget", "over_9000"), "budget"), only("not_allowed"));
}

TEST(estimate, budget_options_are_compared_exactly) {
  EXPECT_EQ(codes(valid_form().set("budget", "Under_10k"), "budget"), only("not_allowed"));
}

TEST(estimate, services_keep_order_and_drop_duplicates) {
  auto submission = accepted(valid_form().list("services", {"design", "web_app", "design", " web_app "}));
  EXPECT_EQ(submission.services, (std::vector<std::string>{"design", "web_app"}));
}

TEST(estimate, a_single_service_is_a_list_of_one) {
  EXPECT_EQ(accepted(valid_form().set("services", "api")).services, std::vector<std::string>{"api"});
}

TEST(estimate, empty_service_entries_are_ignored) {
  EXPECT_EQ(accepted(valid_form().list("services", {"", "api", "  "})).services, std::vector<std::string>{"api"});
}

TEST(estimate, services_outside_the_configured_options_are_rejected) {
  EXPECT_EQ(codes(valid_form().list("services", {"api", "seo"}), "services"), only("not_allowed"));
}

// --- consent ----------------------------------------------------------------

TEST(estimate, consent_marketing_accepts_checkbox_and_boolean_spellings) {
  for (std::string yes : {"true", "on", "1", "yes", " on ", "TRUE", "On", "Yes"}) {
    EXPECT_TRUE(accepted(valid_form().set("consent_marketing", yes)).consent_marketing) << yes;
  }
  for (std::string no : {"false", "off", "0", "no", "", "False", "OFF", "No"}) {
    EXPECT_FALSE(accepted(valid_form().set("consent_marketing", no)).consent_marketing) << no;
  }
}

TEST(estimate, consent_marketing_accepts_json_booleans) {
  EXPECT_TRUE(accepted(valid_form().typed("consent_marketing", ValueType::boolean, "true")).consent_marketing);
  EXPECT_FALSE(accepted(valid_form().typed("consent_marketing", ValueType::boolean, "false")).consent_marketing);
}

TEST(estimate, consent_marketing_accepts_json_numbers_one_and_zero) {
  EXPECT_TRUE(accepted(valid_form().typed("consent_marketing", ValueType::number, "1")).consent_marketing);
  EXPECT_FALSE(accepted(valid_form().typed("consent_marketing", ValueType::number, "0")).consent_marketing);
  EXPECT_EQ(codes(valid_form().typed("consent_marketing", ValueType::number, "7"), "consent_marketing"),
            only("invalid_type"));
}

TEST(estimate, absent_consent_marketing_means_no_consent) { EXPECT_FALSE(accepted(valid_form()).consent_marketing); }

TEST(estimate, consent_marketing_with_another_word_is_rejected) {
  EXPECT_EQ(codes(valid_form().set("consent_marketing", "maybe"), "consent_marketing"), only("invalid_type"));
}

TEST(estimate, consent_version_may_hold_only_letters_digits_dot_dash_underscore) {
  EXPECT_EQ(codes(valid_form().set("consent_version", "v 2"), "consent_version"), only("invalid_format"));
  EXPECT_EQ(codes(valid_form().set("consent_version", std::string(51, '1')), "consent_version"), only("too_long"));
}

// --- JSON types -------------------------------------------------------------

TEST(estimate, json_numbers_and_booleans_are_not_text) {
  EXPECT_EQ(codes(valid_form().typed("name", ValueType::number, "42"), "name"), only("invalid_type"));
  EXPECT_EQ(codes(valid_form().typed("email", ValueType::boolean, "true"), "email"), only("invalid_type"));
  EXPECT_EQ(codes(valid_form().typed("phone", ValueType::number, "4930123456"), "phone"), only("invalid_type"));
  EXPECT_EQ(codes(valid_form().typed("budget", ValueType::boolean, "false"), "budget"), only("invalid_type"));
}

TEST(estimate, json_objects_are_rejected_in_every_field) {
  for (std::string field : {"name", "message", "company", "services", "consent_marketing", "utm_source"}) {
    EXPECT_EQ(codes(valid_form().typed(field, ValueType::invalid), field), only("invalid_type")) << field;
  }
}

TEST(estimate, a_list_of_several_values_is_rejected_for_a_single_value_field) {
  EXPECT_EQ(codes(valid_form().list("name", {"Ana", "Bob"}), "name"), only("invalid_type"));
  EXPECT_EQ(codes(valid_form().list("consent_marketing", {"on", "off"}), "consent_marketing"), only("invalid_type"));
}

TEST(estimate, a_json_array_of_one_element_is_rejected_for_a_single_value_field) {
  EXPECT_EQ(codes(valid_form().list("name", {"Ana"}), "name"), only("invalid_type"));
}

TEST(estimate, services_as_a_json_number_or_boolean_is_rejected) {
  EXPECT_EQ(codes(valid_form().typed("services", ValueType::number, "1"), "services"), only("invalid_type"));
  EXPECT_EQ(codes(valid_form().typed("services", ValueType::boolean, "true"), "services"), only("invalid_type"));
}

TEST(estimate, one_field_reports_one_error) {
  // A wrong type is not also reported as "required" for a required field.
  EXPECT_EQ(codes(valid_form().typed("message", ValueType::number, "1"), "message"), only("invalid_type"));
}
