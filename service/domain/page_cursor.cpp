#include "domain/page_cursor.hpp"

#include <algorithm>
#include <charconv>

#include "domain/ids.hpp"

namespace leadgate::domain {

std::string encode_cursor(const PageCursor& cursor) {
  return std::to_string(cursor.created_at_micros) + "." + cursor.id;
}

namespace {

// 10000-01-01T00:00:00Z in microseconds since the epoch: a later cursor
// would overflow PostgreSQL's timestamp arithmetic.
constexpr std::int64_t end_of_year_9999_micros = 253402300800LL * 1000000;

}  // namespace

std::optional<PageCursor> decode_cursor(std::string_view text, CursorIds ids) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  PageCursor cursor;
  auto [end, error] = std::from_chars(text.data(), text.data() + dot, cursor.created_at_micros);
  if (error != std::errc{} || end != text.data() + dot || cursor.created_at_micros < 0 ||
      cursor.created_at_micros >= end_of_year_9999_micros) {
    return std::nullopt;
  }
  auto id = text.substr(dot + 1);
  // Rows are keyed by UUIDs, or (the audit log) by a number.
  bool number = !id.empty() && id.size() <= 18 && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (ids == CursorIds::uuid ? !is_uuid(id) : !number) return std::nullopt;
  cursor.id = std::string(id);
  return cursor;
}

}  // namespace leadgate::domain
