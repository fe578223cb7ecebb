// http::problem_response: domain::Error → status + RFC 9457 body.

#include "http/problem.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

namespace {

using leadgate::domain::Error;
using leadgate::domain::ErrorKind;
using leadgate::domain::FieldError;
using leadgate::http::problem_response;
using leadgate::http::status_of;
using leadgate::http::title_of;

const std::vector<std::pair<ErrorKind, int>> statuses = {
    {ErrorKind::bad_request, 400},        {ErrorKind::unauthorized, 401},
    {ErrorKind::forbidden, 403},          {ErrorKind::not_found, 404},
    {ErrorKind::method_not_allowed, 405}, {ErrorKind::conflict, 409},
    {ErrorKind::payload_too_large, 413},  {ErrorKind::unsupported_media_type, 415},
    {ErrorKind::validation_failed, 422},  {ErrorKind::rate_limited, 429},
    {ErrorKind::internal, 500},           {ErrorKind::unavailable, 503},
};

nlohmann::json body_of(const Error& error) { return nlohmann::json::parse(problem_response(error).body); }

}  // namespace

TEST(problem, each_error_kind_has_its_status) {
  for (auto [kind, status] : statuses) {
    EXPECT_EQ(status_of(kind), status) << status;
    EXPECT_EQ(problem_response(Error(kind, "x")).status, status);
  }
}

TEST(problem, each_error_kind_has_its_reason_phrase_as_title) {
  EXPECT_EQ(title_of(ErrorKind::validation_failed), "Unprocessable Content");
  EXPECT_EQ(title_of(ErrorKind::payload_too_large), "Content Too Large");
  EXPECT_EQ(title_of(ErrorKind::not_found), "Not Found");
  for (auto [kind, status] : statuses) EXPECT_FALSE(title_of(kind).empty()) << status;
}

TEST(problem, response_is_problem_json) {
  EXPECT_EQ(problem_response(Error(ErrorKind::not_found, "x")).header("content-type"), "application/problem+json");
}

TEST(problem, body_has_type_title_status_and_detail) {
  auto body = body_of(Error(ErrorKind::conflict, "That slot was just taken."));
  EXPECT_EQ(body["type"], "about:blank");
  EXPECT_EQ(body["title"], "Conflict");
  EXPECT_EQ(body["status"], 409);
  EXPECT_EQ(body["detail"], "That slot was just taken.");
  EXPECT_FALSE(body.contains("errors"));
}

TEST(problem, validation_errors_list_field_code_and_message) {
  auto body = body_of(Error::validation({FieldError{"name", "required", "This field is required."},
                                         FieldError{"email", "invalid_email", "Must be a valid e-mail address."}}));
  EXPECT_EQ(body["status"], 422);
  ASSERT_TRUE(body["errors"].is_array());
  ASSERT_EQ(body["errors"].size(), 2u);
  EXPECT_EQ(body["errors"][0],
            (nlohmann::json{{"field", "name"}, {"code", "required"}, {"message", "This field is required."}}));
  EXPECT_EQ(body["errors"][1]["field"], "email");
  EXPECT_EQ(body["errors"][1]["code"], "invalid_email");
}

TEST(problem, error_headers_are_carried) {
  auto allow = problem_response(Error(ErrorKind::method_not_allowed, "x").with_header("Allow", "GET, HEAD"));
  EXPECT_EQ(allow.header("Allow"), "GET, HEAD");
  auto retry = problem_response(Error(ErrorKind::unavailable, "x").with_header("Retry-After", "5"));
  EXPECT_EQ(retry.header("Retry-After"), "5");
}

TEST(problem, log_detail_never_reaches_the_body) {
  auto response = problem_response(
      Error(ErrorKind::internal, "An unexpected error occurred.", "SELECT * FROM leads failed: secret-token-123"));
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);
  EXPECT_EQ(response.body.find("secret-token-123"), std::string::npos);
  for (const auto& header : response.headers) EXPECT_EQ(header.value.find("secret-token-123"), std::string::npos);
}

TEST(problem, invalid_utf8_in_a_detail_still_gives_valid_json) {
  auto response = problem_response(Error(ErrorKind::bad_request, "bad byte \xFF here"));
  EXPECT_TRUE(nlohmann::json::accept(response.body)) << response.body;
}
