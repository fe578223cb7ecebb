#pragma once
// Reading a request's query string (decoded by Boost.URL).

#include <optional>
#include <string>
#include <string_view>

namespace leadgate::http {

// The first value of `name` in `query` (without "?"), percent- and
// plus-decoded; nothing when absent or when the query is malformed.
std::optional<std::string> query_value(std::string_view query, std::string_view name);

}  // namespace leadgate::http
