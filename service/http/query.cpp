#include "http/query.hpp"

#include <boost/url/parse_query.hpp>

namespace leadgate::http {

std::optional<std::string> query_value(std::string_view query, std::string_view name) {
  // An empty std::string_view may hold a null pointer, which Boost.URL's own
  // string_view would hand to strlen: pass pointer and size explicitly.
  if (query.empty()) return std::nullopt;
  auto parsed = boost::urls::parse_query(boost::core::string_view(query.data(), query.size()));
  if (!parsed) return std::nullopt;
  boost::urls::encoding_opts as_form(/*space_as_plus=*/true);
  for (auto param : *parsed) {
    if (param.key.decode(as_form) == name) return param.has_value ? param.value.decode(as_form) : std::string{};
  }
  return std::nullopt;
}

}  // namespace leadgate::http
