#include "config/toml_reading.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace leadgate::config::reading {

[[noreturn]] void fail(std::string_view key, std::string_view problem) {
  throw ConfigError(std::string(key) + ": " + std::string(problem));
}

std::string read_text(const toml::node& node) {
  auto value = node.value<std::string>();
  if (!value) throw std::invalid_argument("expected a string");
  return *value;
}

std::int64_t read_integer(const toml::node& node, std::int64_t min, std::int64_t max) {
  auto value = node.value_exact<std::int64_t>();
  if (!value) throw std::invalid_argument("expected an integer");
  if (*value < min || *value > max) {
    throw std::invalid_argument("must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return *value;
}

std::vector<std::string> read_text_list(const toml::node& node) {
  const toml::array* array = node.as_array();
  if (array == nullptr) throw std::invalid_argument("expected a list of strings");
  std::vector<std::string> items;
  for (const auto& element : *array) items.push_back(read_text(element));
  return items;
}

void read_table(const toml::node& node, std::string_view shape, std::string_view item, const FieldReaders& fields) {
  const toml::table* table = node.as_table();
  if (table == nullptr) throw std::invalid_argument(std::string(shape));
  for (auto&& [key, value] : *table) {
    auto field = std::find_if(fields.begin(), fields.end(), [&](const auto& f) { return f.first == key.str(); });
    if (field == fields.end()) {
      throw std::invalid_argument("unknown field \"" + std::string(key.str()) + "\" in " + std::string(item));
    }
    field->second(value);
  }
}

int parse_clock(std::string_view text) {
  // "HH:MM", 00:00 to 24:00.
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() != 5 || text[2] != ':' || !is_digit(text[0]) || !is_digit(text[1]) || !is_digit(text[3]) ||
      !is_digit(text[4])) {
    throw std::invalid_argument("expected \"HH:MM-HH:MM\" ranges");
  }
  int hours = 0;
  int minutes = 0;
  auto h = std::from_chars(text.data(), text.data() + 2, hours);
  auto m = std::from_chars(text.data() + 3, text.data() + 5, minutes);
  if (h.ec != std::errc{} || m.ec != std::errc{} || h.ptr != text.data() + 2 || m.ptr != text.data() + 5 ||
      hours > 24 || minutes > 59 || (hours == 24 && minutes != 0)) {
    throw std::invalid_argument("expected \"HH:MM-HH:MM\" ranges");
  }
  return hours * 60 + minutes;
}

std::vector<MinuteRange> parse_hours(const std::vector<std::string>& ranges) {
  std::vector<MinuteRange> parsed;
  for (const auto& range : ranges) {
    auto dash = range.find('-');
    if (dash == std::string::npos) throw std::invalid_argument("expected \"HH:MM-HH:MM\" ranges");
    MinuteRange r{parse_clock(std::string_view(range).substr(0, dash)),
                  parse_clock(std::string_view(range).substr(dash + 1))};
    if (r.begin >= r.end) throw std::invalid_argument("each range must end after it begins");
    parsed.push_back(r);
  }
  std::sort(parsed.begin(), parsed.end(), [](auto& a, auto& b) { return a.begin < b.begin; });
  for (std::size_t i = 1; i < parsed.size(); ++i) {
    if (parsed[i].begin < parsed[i - 1].end) throw std::invalid_argument("ranges must not overlap");
  }
  return parsed;
}

bool url_has_password(std::string_view url) {
  // libpq takes a password as user:password@ in a URI, as ?password= in its
  // query, or as password= in a key=value connection string.
  if (url.find("password=") != std::string_view::npos) return true;
  auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return false;
  auto authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  auto at = authority.rfind('@');
  return at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos;
}

bool is_http_url(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.starts_with(scheme) && url.size() > scheme.size()) return true;
  }
  return false;
}

// Addresses an operator types: "Name <user@host>" or "user@host". A single
// label host (localhost) is fine here, unlike in visitors' addresses.
bool is_operator_mailbox(std::string_view text) {
  if (text.find_first_of("\r\n") != std::string_view::npos) return false;
  auto open = text.rfind('<');
  if (open != std::string_view::npos) {
    if (!text.ends_with('>')) return false;
    text = text.substr(open + 1, text.size() - open - 2);
  }
  auto at = text.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < text.size() &&
         text.find_first_of(" <>,;\"") == std::string_view::npos && text.find('@', at + 1) == std::string_view::npos;
}

}  // namespace leadgate::config::reading
