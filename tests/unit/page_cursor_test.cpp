// Keyset cursors: what decode_cursor lets through reaches PostgreSQL as a
// uuid and a timestamp, so anything that would fail there is refused here
// (a 422 on "cursor", never a 500).

#include <gtest/gtest.h>

#include "domain/page_cursor.hpp"

namespace {

using leadgate::domain::CursorIds;
using leadgate::domain::decode_cursor;
using leadgate::domain::encode_cursor;

const std::string uuid = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

TEST(page_cursor, a_cursor_round_trips) {
  auto cursor = decode_cursor("1765000000000000." + uuid);
  ASSERT_TRUE(cursor.has_value());
  EXPECT_EQ(encode_cursor(*cursor), "1765000000000000." + uuid);
}

TEST(page_cursor, a_numbered_cursor_belongs_to_the_audit_log_only) {
  EXPECT_FALSE(decode_cursor("1765000000000000.42").has_value());
  EXPECT_TRUE(decode_cursor("1765000000000000.42", CursorIds::number).has_value());
  EXPECT_FALSE(decode_cursor("1765000000000000." + uuid, CursorIds::number).has_value());
}

TEST(page_cursor, a_time_past_year_9999_is_refused_before_postgresql_overflows) {
  EXPECT_TRUE(decode_cursor("253402300799999999." + uuid).has_value());
  EXPECT_FALSE(decode_cursor("253402300800000000." + uuid).has_value());
  EXPECT_FALSE(decode_cursor("9223372036854775807." + uuid).has_value());
  EXPECT_FALSE(decode_cursor("99999999999999999999." + uuid).has_value());
  EXPECT_FALSE(decode_cursor("-1." + uuid).has_value());
}

TEST(page_cursor, anything_else_is_refused) {
  for (const char* text : {"", ".", "12", "12.", ".0190a1b2", "12.not-a-uuid", "1 2." , "0x10.42"}) {
    EXPECT_FALSE(decode_cursor(text).has_value()) << text;
  }
}

}  // namespace
