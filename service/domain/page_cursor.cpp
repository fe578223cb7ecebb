#include "domain/page_cursor.hpp"

#include <algorithm>
#include <charconv>

namespace leadgate::domain {

namespace {

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = text[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string encode_cursor(const PageCursor& cursor) {
  return std::to_string(cursor.created_at_micros) + "." + cursor.id;
}

std::optional<PageCursor> decode_cursor(std::string_view text) {
  auto dot = text.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  PageCursor cursor;
  auto [end, error] = std::from_chars(text.data(), text.data() + dot, cursor.created_at_micros);
  if (error != std::errc{} || end != text.data() + dot || cursor.created_at_micros < 0) return std::nullopt;
  auto id = text.substr(dot + 1);
  if (!is_uuid(id)) return std::nullopt;
  cursor.id = std::string(id);
  return cursor;
}

}  // namespace leadgate::domain
