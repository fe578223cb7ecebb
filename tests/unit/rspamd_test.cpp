// rspamd's client, its pure steps: the message a submission becomes, the
// headers of rspamd's protocol, and the reading of a /checkv2 answer
// (answers captured from Debian's rspamd 3.4); and the metric of its checks.

#include "http/rspamd.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>

#include "metrics/metrics.hpp"

namespace {

using leadgate::http::parse_rspamd_answer;
using leadgate::http::rspamd_message;
using leadgate::http::rspamd_request_headers;
using leadgate::http::RspamdSubmission;
using namespace std::chrono_literals;

constexpr std::string_view gtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

// A plain request, checked with the headers rspamd_request_headers gives
// (client 203.0.113.7; no DNS on the machine, hence the *_FAIL symbols).
constexpr std::string_view legit_answer =
    R"rspamd({"is_skipped":false,"score":-0.100000,"required_score":15.0,"action":"no action","symbols":{"ASN_FAIL":{"name":"ASN_FAIL","score":0.0,"metric_score":0.0,"options":["7.113.0.203.asn.rspamd.com:query timed out"]},"RBL_SENDERSCORE_FAIL":{"name":"RBL_SENDERSCORE_FAIL","score":0.0,"metric_score":0.0,"options":["203.0.113.7:query timed out"]},"FROM_HAS_DN":{"name":"FROM_HAS_DN","score":0.0,"metric_score":0.0,"description":"From header has a display name"},"RBL_SEM_FAIL":{"name":"RBL_SEM_FAIL","score":0.0,"metric_score":0.0,"options":["203.0.113.7:query timed out"]},"TO_MATCH_ENVRCPT_ALL":{"name":"TO_MATCH_ENVRCPT_ALL","score":0.0,"metric_score":0.0,"description":"All of the recipients match the envelope"},"MIME_GOOD":{"name":"MIME_GOOD","score":-0.100000,"metric_score":-0.100000,"description":"Known content-type","options":["text/plain"]},"TO_DN_NONE":{"name":"TO_DN_NONE","score":0.0,"metric_score":0.0,"description":"None of the recipients have display names"},"RCPT_COUNT_ONE":{"name":"RCPT_COUNT_ONE","score":0.0,"metric_score":0.0,"description":"One recipient","options":["1"]},"RBL_VIRUSFREE_UNKNOWN_FAIL":{"name":"RBL_VIRUSFREE_UNKNOWN_FAIL","score":0.0,"metric_score":0.0,"options":["203.0.113.7:query timed out"]},"MAILSPIKE_FAIL":{"name":"MAILSPIKE_FAIL","score":0.0,"metric_score":0.0,"options":["203.0.113.7:query timed out"]},"BLOCKLISTDE_FAIL":{"name":"BLOCKLISTDE_FAIL","score":0.0,"metric_score":0.0,"options":["203.0.113.7:query timed out"]},"RCVD_COUNT_ZERO":{"name":"RCVD_COUNT_ZERO","score":0.0,"metric_score":0.0,"description":"Message has no Received headers","options":["0"]},"RCVD_IN_DNSWL_FAIL":{"name":"RCVD_IN_DNSWL_FAIL","score":0.0,"metric_score":0.0,"options":["203.0.113.7:query timed out"]},"FROM_EQ_ENVFROM":{"name":"FROM_EQ_ENVFROM","score":0.0,"metric_score":0.0,"description":"From address is the same as the envelope"},"MIME_TRACE":{"name":"MIME_TRACE","score":0.0,"metric_score":0.0,"options":["0:+"]},"RBL_NIXSPAM_FAIL":{"name":"RBL_NIXSPAM_FAIL","score":0.0,"metric_score":0.0,"options":["203.0.113.7:query timed out"]}},"messages":{},"message-id":"3f6c2a9e0b1d4c7e8a5f6b2c9d0e1f2a@leadgate.invalid","time_real":0.455088,"milter":{"remove_headers":{"X-Spam":0}}})rspamd";

// rspamd's GTUBE rule: "reject" at once, with the required score itself.
constexpr std::string_view gtube_answer =
    R"rspamd({"is_skipped":true,"score":15.0,"required_score":15.0,"action":"reject","symbols":{"GTUBE":{"name":"GTUBE","score":0.0,"metric_score":0.0}},"messages":{"smtp_message":"Gtube pattern"},"message-id":"3f6c2a9e0b1d4c7e8a5f6b2c9d0e1f2a@leadgate.invalid","time_real":0.000171})rspamd";

const auto date = std::chrono::sys_days{std::chrono::year{2026} / 12 / 7} + 13h + 50min;

RspamdSubmission anna(std::string text) {
  return {"estimate", "anna.smith@example.com", "Anna Smith", std::move(text), "203.0.113.7", "Mozilla/5.0"};
}

bool has(const std::vector<std::string>& headers, const std::string& header) {
  return std::find(headers.begin(), headers.end(), header) != headers.end();
}

TEST(RspamdAnswer, a_real_answer_gives_its_score_and_required_score) {
  auto verdict = parse_rspamd_answer(legit_answer);
  ASSERT_TRUE(verdict.has_value());
  EXPECT_DOUBLE_EQ(verdict->score, -0.1);
  EXPECT_DOUBLE_EQ(verdict->required_score, 15.0);
}

TEST(RspamdAnswer, the_gtube_answer_scores_the_required_score) {
  auto verdict = parse_rspamd_answer(gtube_answer);
  ASSERT_TRUE(verdict.has_value());
  EXPECT_DOUBLE_EQ(verdict->score, 15.0);
  EXPECT_DOUBLE_EQ(verdict->required_score, 15.0);
}

TEST(RspamdAnswer, whole_numbers_are_scores_too) {
  auto verdict = parse_rspamd_answer(R"({"score": 7, "required_score": 15})");
  ASSERT_TRUE(verdict.has_value());
  EXPECT_DOUBLE_EQ(verdict->score, 7.0);
}

TEST(RspamdAnswer, an_answer_without_both_numbers_is_no_verdict) {
  EXPECT_FALSE(parse_rspamd_answer(R"({"error": "Cannot parse input: message has no body"})"));
  EXPECT_FALSE(parse_rspamd_answer(R"({"score": 3.5})"));
  EXPECT_FALSE(parse_rspamd_answer(R"({"required_score": 15.0})"));
  EXPECT_FALSE(parse_rspamd_answer(R"({"score": "3.5", "required_score": 15.0})"));
  EXPECT_FALSE(parse_rspamd_answer(R"({"score": null, "required_score": 15.0})"));
  EXPECT_FALSE(parse_rspamd_answer(R"({"score": 1e999, "required_score": 15.0})"));
  EXPECT_FALSE(parse_rspamd_answer(R"([{"score": 1, "required_score": 15}])"));
  EXPECT_FALSE(parse_rspamd_answer("<html>502 Bad Gateway</html>"));
  EXPECT_FALSE(parse_rspamd_answer(""));
  EXPECT_FALSE(parse_rspamd_answer(legit_answer.substr(0, legit_answer.size() / 2)));
}

TEST(RspamdMessage, a_gtube_body_gives_the_expected_message) {
  auto message = rspamd_message(anna("Hello " + std::string(gtube)), "sales@localhost",
                                "3f6c2a9e0b1d4c7e8a5f6b2c9d0e1f2a@leadgate.invalid", date);
  EXPECT_EQ(message,
            "From: \"Anna Smith\" <anna.smith@example.com>\r\n"
            "To: sales@localhost\r\n"
            "Subject: Website form: estimate\r\n"
            "Date: Mon, 07 Dec 2026 13:50:00 +0000\r\n"
            "Message-ID: <3f6c2a9e0b1d4c7e8a5f6b2c9d0e1f2a@leadgate.invalid>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: quoted-printable\r\n"
            "\r\n"
            "Hello " + std::string(gtube) + "\r\n");
}

TEST(RspamdMessage, the_body_is_quoted_printable_with_crlf_line_ends) {
  auto message = rspamd_message(anna("Grüße aus München,\nbis bald = Anna\n"), "sales@localhost", "x@leadgate.invalid", date);
  EXPECT_TRUE(message.ends_with("\r\n\r\nGr=C3=BC=C3=9Fe aus M=C3=BCnchen,\r\nbis bald =3D Anna\r\n")) << message;
}

TEST(RspamdMessage, an_empty_text_gives_an_empty_body) {
  auto message = rspamd_message(anna(""), "sales@localhost", "x@leadgate.invalid", date);
  EXPECT_TRUE(message.ends_with("Content-Transfer-Encoding: quoted-printable\r\n\r\n")) << message;
}

TEST(RspamdMessage, a_name_that_is_not_ascii_is_an_encoded_word) {
  auto submission = anna("hi");
  submission.name = "Zoë Müller";
  auto message = rspamd_message(submission, "sales@localhost", "x@leadgate.invalid", date);
  EXPECT_TRUE(message.starts_with("From: =?UTF-8?B?Wm/DqyBNw7xsbGVy?= <anna.smith@example.com>\r\n")) << message;
}

TEST(RspamdMessage, what_the_visitor_typed_adds_no_header) {
  auto submission = anna("hi");
  submission.name = "Anna\r\nBcc: victim@example.org";
  submission.email = "anna@example.com\r\nX-Spam: no";
  auto message = rspamd_message(submission, "sales@localhost", "x@leadgate.invalid", date);
  auto headers = message.substr(0, message.find("\r\n\r\n") + 2);
  EXPECT_EQ(headers.find("\r\nBcc:"), std::string::npos) << message;
  EXPECT_EQ(headers.find("\r\nX-Spam:"), std::string::npos) << message;
}

TEST(RspamdHeaders, the_client_the_envelope_and_the_settings) {
  auto headers = rspamd_request_headers(anna("hi"), "sales@localhost");
  EXPECT_TRUE(has(headers, "IP: 203.0.113.7"));
  EXPECT_TRUE(has(headers, "From: anna.smith@example.com"));
  EXPECT_TRUE(has(headers, "Rcpt: sales@localhost"));
  EXPECT_TRUE(has(headers, R"(Settings: {"groups_disabled": ["policies"], "symbols_disabled": ["ONCE_RECEIVED", "HFILTER_HOSTNAME_UNKNOWN"]})"));
  // A browser's User-Agent is not rspamd's business (see RspamdSubmission).
  for (const auto& header : headers) EXPECT_EQ(header.find("Mozilla"), std::string::npos) << header;
}

TEST(RspamdHeaders, a_line_break_in_input_cannot_start_a_header) {
  auto submission = anna("hi");
  submission.email = "anna@example.com\r\nPass: all";
  auto headers = rspamd_request_headers(submission, "sales@localhost");
  EXPECT_TRUE(has(headers, "From: anna@example.comPass: all"));
  for (const auto& header : headers) EXPECT_EQ(header.find_first_of("\r\n"), std::string::npos) << header;
}

TEST(RspamdHeaders, without_a_client_address_there_is_no_ip_header) {
  auto submission = anna("hi");
  submission.client_address.clear();
  for (const auto& header : rspamd_request_headers(submission, "sales@localhost")) {
    EXPECT_FALSE(header.starts_with("IP:")) << header;
  }
}

TEST(RspamdMetrics, both_outcomes_start_at_zero_once_expected) {
  leadgate::metrics::Metrics metrics(leadgate::metrics::Role::serve);
  EXPECT_EQ(metrics.render().find("leadgate_rspamd_checks_total"), std::string::npos);
  metrics.expect_rspamd_checks();
  auto text = metrics.render();
  EXPECT_NE(text.find("leadgate_rspamd_checks_total{outcome=\"scored\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("leadgate_rspamd_checks_total{outcome=\"unavailable\"} 0\n"), std::string::npos) << text;
  metrics.count_rspamd_check(true);
  metrics.count_rspamd_check(false);
  metrics.count_rspamd_check(false);
  text = metrics.render();
  EXPECT_NE(text.find("leadgate_rspamd_checks_total{outcome=\"scored\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("leadgate_rspamd_checks_total{outcome=\"unavailable\"} 2\n"), std::string::npos) << text;
}

}  // namespace
