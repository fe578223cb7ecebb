#include "domain/csv.hpp"

#include <array>

namespace leadgate::domain {

namespace {

// What each byte asks of a cell: nothing, quotes around it, or quotes and
// doubling. A table, so that the scan of a cell is one load and one OR per
// byte (an export writes a million rows of cells).
enum : unsigned char { plain = 0, needs_quotes = 1, is_quote = 2 };

constexpr std::array<unsigned char, 256> byte_classes = [] {
  std::array<unsigned char, 256> classes{};
  classes[static_cast<unsigned char>(',')] = needs_quotes;
  classes[static_cast<unsigned char>('\r')] = needs_quotes;
  classes[static_cast<unsigned char>('\n')] = needs_quotes;
  classes[static_cast<unsigned char>('"')] = needs_quotes | is_quote;
  return classes;
}();

}  // namespace

void append_csv_cell(std::string& out, std::string_view cell) {
  bool formula = !cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
  unsigned char seen = plain;
  for (char c : cell) seen |= byte_classes[static_cast<unsigned char>(c)];
  bool has_quote = (seen & is_quote) != 0;
  if (!formula && seen == plain) {
    out.append(cell);
    return;
  }
  out += '"';
  if (formula) out += '\'';
  std::size_t run = 0;
  for (std::size_t i = 0; has_quote && i < cell.size(); ++i) {
    if (cell[i] != '"') continue;
    out.append(cell, run, i + 1 - run);
    out += '"';  // a quote inside a quoted cell is doubled
    run = i + 1;
  }
  out.append(cell, run);
  out += '"';
}

}  // namespace leadgate::domain
