#include "http/origin.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cctype>

namespace leadgate::http {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

std::optional<std::string> origin_of(std::string_view url) {
  if (url.empty()) return std::nullopt;  // an empty view may hold a null pointer Boost.URL would strlen
  auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) return std::nullopt;
  auto scheme = lower(parsed->scheme());
  if ((scheme != "http" && scheme != "https") || !parsed->has_authority() || parsed->encoded_host().empty()) {
    return std::nullopt;
  }
  // user:password@ in a redirect target is a phishing trick, not an origin.
  if (parsed->has_userinfo()) return std::nullopt;
  std::string origin = scheme + "://" + lower(parsed->encoded_host());
  auto port = parsed->port();
  bool default_port = (scheme == "http" && port == "80") || (scheme == "https" && port == "443");
  if (!port.empty() && !default_port) origin += ":" + std::string(port);
  return origin;
}

bool origin_allowed(std::string_view url, std::span<const std::string> allowed_origins) {
  auto origin = origin_of(url);
  if (!origin) return false;
  return std::any_of(allowed_origins.begin(), allowed_origins.end(), [&](const std::string& allowed) {
    return origin_of(allowed) == origin;
  });
}

}  // namespace leadgate::http
