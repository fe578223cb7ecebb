// http::query_value: reading one parameter of a query string.

#include "http/query.hpp"

#include <gtest/gtest.h>

using leadgate::http::query_value;

TEST(query, a_value_is_percent_and_plus_decoded) {
  EXPECT_EQ(query_value("a=1&token=ab%2Fc+d", "token"), "ab/c d");
}

TEST(query, the_first_of_repeated_names_wins) { EXPECT_EQ(query_value("t=1&t=2", "t"), "1"); }

TEST(query, absent_names_and_empty_queries_give_nothing) {
  EXPECT_EQ(query_value("a=1", "token"), std::nullopt);
  EXPECT_EQ(query_value("", "token"), std::nullopt);
  // A default-constructed view holds a null pointer: it must not crash.
  EXPECT_EQ(query_value(std::string_view{}, "token"), std::nullopt);
}

TEST(query, a_name_without_a_value_is_an_empty_value) { EXPECT_EQ(query_value("token", "token"), ""); }

TEST(query, a_malformed_query_gives_nothing) { EXPECT_EQ(query_value("token=%zz", "token"), std::nullopt); }
