#include "domain/csv.hpp"

namespace leadgate::domain {

void append_csv_cell(std::string& out, std::string_view cell) {
  bool formula = !cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos;
  bool quote = formula || cell.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out += '"';
  if (formula) out += '\'';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quote) out += '"';
}

void append_csv_row(std::string& out, std::initializer_list<std::optional<std::string_view>> cells) {
  bool first = true;
  for (const auto& cell : cells) {
    if (!first) out += ',';
    first = false;
    if (cell) append_csv_cell(out, *cell);
  }
  out += "\r\n";
}

}  // namespace leadgate::domain
