#pragma once
// Origins (scheme://host[:port]) for the allow-list checks of `_next`
// redirects and, later, CORS.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace leadgate::http {

// The origin of an absolute http(s) URL, lower-cased, without a default
// port; nothing for relative, malformed or other-scheme URLs.
std::optional<std::string> origin_of(std::string_view url);

bool origin_allowed(std::string_view url, std::span<const std::string> allowed_origins);

}  // namespace leadgate::http
