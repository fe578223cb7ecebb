// What PostgreSQL's errors mean to the store: the one mapping in
// store/sql_failure.cpp, checked with the exceptions libpqxx throws.

#include <gtest/gtest.h>

#include "store/sql_failure.hpp"

namespace {

using leadgate::store::classify;
using leadgate::store::SqlFailureKind;

TEST(sql_failure, serialization_failures_and_deadlocks_are_retryable) {
  // libpqxx 6.4 throws these as their own types, not as sql_error.
  EXPECT_EQ(classify(pqxx::serialization_failure("could not serialize access")).kind, SqlFailureKind::retryable);
  EXPECT_EQ(classify(pqxx::deadlock_detected("deadlock detected")).kind, SqlFailureKind::retryable);
  EXPECT_EQ(classify(pqxx::sql_error("could not serialize access", "", "40001")).kind, SqlFailureKind::retryable);
}

TEST(sql_failure, an_unknown_commit_outcome_is_in_doubt) {
  EXPECT_EQ(classify(pqxx::in_doubt_error("connection lost during commit")).kind, SqlFailureKind::in_doubt);
  EXPECT_EQ(classify(pqxx::statement_completion_unknown("unknown")).kind, SqlFailureKind::in_doubt);
}

TEST(sql_failure, a_server_going_away_or_no_sqlstate_is_unreachable) {
  for (const char* state : {"08006", "57P01", "57P03", "53300"}) {
    EXPECT_EQ(classify(pqxx::sql_error("server closed", "", state)).kind, SqlFailureKind::unreachable) << state;
  }
  EXPECT_EQ(classify(pqxx::sql_error("connection lost")).kind, SqlFailureKind::unreachable);
  EXPECT_EQ(classify(pqxx::broken_connection("connection lost")).kind, SqlFailureKind::unreachable);
}

TEST(sql_failure, a_unique_violation_names_its_constraint) {
  auto failure = classify(pqxx::unique_violation(
      "ERROR:  duplicate key value violates unique constraint \"leads_pkey\"\nDETAIL:  Key (id)=(…) already exists.",
      "", "23505"));
  EXPECT_EQ(failure.kind, SqlFailureKind::unique);
  EXPECT_EQ(failure.constraint, "leads_pkey");
}

TEST(sql_failure, an_overlapping_booking_is_an_exclusion_violation) {
  auto failure = classify(pqxx::sql_error(
      "ERROR:  conflicting key value violates exclusion constraint \"bookings_no_overlap\"", "", "23P01"));
  EXPECT_EQ(failure.kind, SqlFailureKind::exclusion);
  EXPECT_EQ(failure.constraint, "bookings_no_overlap");
}

TEST(sql_failure, a_wrong_statement_is_other) {
  EXPECT_EQ(classify(pqxx::sql_error("column \"x\" does not exist", "", "42703")).kind, SqlFailureKind::other);
  EXPECT_EQ(classify(pqxx::sql_error("violates check constraint", "", "23514")).kind, SqlFailureKind::other);
}

}  // namespace
