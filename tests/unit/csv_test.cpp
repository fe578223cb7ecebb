// What a spreadsheet sees of an exported lead: RFC 4180 quoting, and a
// leading ' on a cell that starts with =, +, -, @, a tab or a CR, so it is
// shown as text rather than run as a formula.
#include <gtest/gtest.h>

#include <string>

#include "domain/csv.hpp"

namespace leadgate::domain {
namespace {

std::string cell(std::string_view text) {
  std::string out;
  append_csv_cell(out, text);
  return out;
}

TEST(csv, plain_cells_are_written_as_they_are) {
  EXPECT_EQ(cell("Ana Müller"), "Ana Müller");
  EXPECT_EQ(cell(""), "");
  EXPECT_EQ(cell("a'b"), "a'b");
}

TEST(csv, commas_line_breaks_and_quotes_are_quoted_with_quotes_doubled) {
  EXPECT_EQ(cell("Müller, Ana"), "\"Müller, Ana\"");
  EXPECT_EQ(cell("two\r\nlines"), "\"two\r\nlines\"");
  EXPECT_EQ(cell("line\nbreak"), "\"line\nbreak\"");
  EXPECT_EQ(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(cell("\""), "\"\"\"\"");
  EXPECT_EQ(cell("\"\"x"), "\"\"\"\"\"x\"");
}

TEST(csv, cells_a_spreadsheet_would_run_as_a_formula_are_neutralised) {
  EXPECT_EQ(cell("=SUM(A1)"), "\"'=SUM(A1)\"");
  EXPECT_EQ(cell("+49 30 1234567"), "\"'+49 30 1234567\"");
  EXPECT_EQ(cell("-1"), "\"'-1\"");
  EXPECT_EQ(cell("@cmd"), "\"'@cmd\"");
  EXPECT_EQ(cell("\tx"), "\"'\tx\"");
  EXPECT_EQ(cell("\rx"), "\"'\rx\"");
  EXPECT_EQ(cell("=\"a\",b"), "\"'=\"\"a\"\",b\"");
  EXPECT_EQ(cell("a=b"), "a=b");
}

}  // namespace
}  // namespace leadgate::domain
