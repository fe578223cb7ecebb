#pragma once
// CSV for spreadsheets and CRMs: RFC 4180 (comma, double quotes, CRLF line
// ends), UTF-8, and cells that a spreadsheet would run as a formula
// neutralised.

#include <string>
#include <string_view>

namespace leadgate::domain {

// Appends one cell's text as it must appear in the file. A cell starting
// with = + - @ TAB or CR gets a leading apostrophe (OWASP's advice against
// formula injection: Excel and Sheets then show it as text); a cell with a
// comma, quote, CR or LF is quoted, with quotes doubled.
void append_csv_cell(std::string& out, std::string_view cell);

}  // namespace leadgate::domain
