// PostgreSQL array literals carry every column of a commit group: a value
// that is cut or misquoted here is a lead stored wrong.
#include <gtest/gtest.h>

#include "store/pg_array.hpp"

namespace leadgate::store {
namespace {

TEST(pg_array, values_are_quoted_and_null_is_bare) {
  ArrayLiteral array;
  array.add(std::optional<std::string_view>("Ana Müller"));
  array.add(std::nullopt);
  array.add(std::optional<std::string_view>("NULL"));
  array.add(std::optional<std::string_view>(""));
  EXPECT_EQ(array.text(), R"({"Ana Müller",NULL,"NULL",""})");
}

TEST(pg_array, quotes_and_backslashes_are_escaped_wherever_they_are) {
  ArrayLiteral array;
  array.add(std::optional<std::string_view>(R"("quoted" and \back\slashed\)"));
  array.add(std::optional<std::string_view>(R"(\)"));
  array.add(std::optional<std::string_view>(R"(a"b)"));
  EXPECT_EQ(array.text(), R"({"\"quoted\" and \\back\\slashed\\","\\","a\"b"})");
}

TEST(pg_array, booleans_and_text_arrays) {
  ArrayLiteral array;
  array.add(true);
  array.add(false);
  EXPECT_EQ(array.text(), R"({"t","f"})");
  EXPECT_EQ(text_array({"web_app", "de,sign", "{x}"}), R"({"web_app","de,sign","{x}"})");
  EXPECT_EQ(text_array({}), "{}");
}

}  // namespace
}  // namespace leadgate::store
