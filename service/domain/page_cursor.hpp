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

// What a listing's rows are keyed by: a cursor of the other kind was not
// made by this listing, and would reach PostgreSQL as a cast error.
enum class CursorIds { uuid, number };

// Nothing for anything but a cursor encode_cursor could have made for a
// listing keyed by `ids`, at a time PostgreSQL can hold (before year 10000).
std::optional<PageCursor> decode_cursor(std::string_view text, CursorIds ids = CursorIds::uuid);

}  // namespace leadgate::domain
