#pragma once
// Keyset pagination: a listing sorted newest first by (created_at, id) goes
// on after the last row it returned. The cursor is that row's key as text,
// "MICROSECONDS.UUID": opaque to clients, but nothing secret.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace leadgate::domain {

struct PageCursor {
  std::int64_t created_at_micros = 0;  // since the Unix epoch
  std::string id;                      // a UUID, or a number (audit entries)
};

std::string encode_cursor(const PageCursor& cursor);

// Nothing for anything but a cursor encode_cursor could have made.
std::optional<PageCursor> decode_cursor(std::string_view text);

}  // namespace leadgate::domain
