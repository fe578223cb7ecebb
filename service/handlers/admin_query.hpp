#pragma once
// The query parameters every admin listing and export shares: limit,
// cursor, from, to. Invalid values are a 422 naming the parameter.

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/page_cursor.hpp"
#include "http/message.hpp"
#include "store/listing.hpp"

namespace leadgate::handlers {

// The filters that were given, by name: {"status": "won", "from": …}. For
// the audit log of an export and for links that keep a page's filters.
using NamedFilter = std::pair<const char*, const std::optional<std::string>*>;
nlohmann::json described(std::initializer_list<NamedFilter> filters);

// The 404 for an id that names no record: "There is no lead with this id."
domain::Error no_record(std::string_view record);

// The path's {id} when it is a UUID; anything else throws no_record(record),
// never a 400: ids are opaque.
std::string record_id(const http::Request& request, std::string_view record);


struct ListQuery {
  int limit = 50;
  std::optional<domain::PageCursor> cursor;
  std::optional<std::string> from;  // YYYY-MM-DD
  std::optional<std::string> to;
};

class AdminQuery {
 public:
  explicit AdminQuery(const http::Request& request) : query_(request.query()) {}

  // limit, cursor (of a listing keyed by `ids`), from, to.
  ListQuery list(domain::CursorIds ids = domain::CursorIds::uuid);

  // A parameter that must be one of `allowed` when present.
  std::optional<std::string> choice(std::string_view name, std::span<const std::string_view> allowed);

  // format=csv (the default) or format=json (NDJSON).
  store::ExportFormat export_format();

  // Free text, at most `max_chars` characters (and at least `min_chars`).
  std::optional<std::string> text(std::string_view name, std::size_t max_chars, std::size_t min_chars = 1);

  // Throws the 422 for everything wrong so far.
  void check() const;

 private:
  std::optional<std::string> date(std::string_view name);
  void fail(std::string_view name, std::string_view code, std::string message);

  std::string_view query_;
  std::vector<domain::FieldError> errors_;
};

}  // namespace leadgate::handlers
