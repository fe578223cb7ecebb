#include "domain/links.hpp"

#include <libpsl.h>

#include <algorithm>
#include <array>
#include <string>

namespace leadgate::domain {

namespace {

// The list as this machine has it: the publicsuffix package's file when it
// is newer than libpsl's built-in copy, else the built-in one. Loaded once,
// kept for the life of the process.
const psl_ctx_t* public_suffixes() {
  static const psl_ctx_t* context = [] {
    const psl_ctx_t* latest = psl_latest(nullptr);
    return latest != nullptr ? latest : psl_builtin();
  }();
  return context;
}

// Decodes one UTF-8 sequence at `i` (valid UTF-8 is a precondition) and
// advances `i` past it.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  auto byte = static_cast<unsigned char>(text[i]);
  int length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
  char32_t point = length == 1 ? byte : byte & (0x7F >> length);
  for (int k = 1; k < length && i + k < text.size(); ++k) {
    point = (point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  i += length;
  return point;
}

void append_utf8(std::string& out, char32_t point) {
  if (point < 0x80) {
    out += static_cast<char>(point);
  } else if (point < 0x800) {
    out += static_cast<char>(0xC0 | (point >> 6));
    out += static_cast<char>(0x80 | (point & 0x3F));
  } else if (point < 0x10000) {
    out += static_cast<char>(0xE0 | (point >> 12));
    out += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (point >> 18));
    out += static_cast<char>(0x80 | ((point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (point & 0x3F));
  }
}

// The text as a reader (and a linkifier) sees it.
std::string as_seen(std::string_view text) {
  static constexpr std::array<char32_t, 7> invisible = {0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E};
  static constexpr std::array<char32_t, 6> full_stops = {0x3002, 0xFF0E, 0xFF61, 0x2024, 0xFE52, 0x0701};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t point = next_code_point(text, i);
    if (std::find(invisible.begin(), invisible.end(), point) != invisible.end()) continue;
    if (std::find(full_stops.begin(), full_stops.end(), point) != full_stops.end()) point = '.';
    if (point >= 0xFF01 && point <= 0xFF5E) point -= 0xFEE0;  // full-width ASCII
    // Punctuation and symbols end a word as a space would: "cheap.com™",
    // "„cheap.com“", "cheap.com…" (Latin-1 punctuation, General
    // Punctuation, letterlike symbols, CJK punctuation).
    if ((point >= 0x00A0 && point <= 0x00BF) || (point >= 0x2000 && point <= 0x206F) ||
        (point >= 0x2100 && point <= 0x214F) || (point >= 0x3000 && point <= 0x303F)) {
      point = ' ';
    }
    if (point >= 'A' && point <= 'Z') point += 'a' - 'A';
    append_utf8(out, point);
  }
  return out;
}

bool is_ipv4(std::string_view host) {
  int labels = 0;
  while (true) {
    auto dot = host.find('.');
    auto label = host.substr(0, dot);
    if (label.empty() || label.size() > 3 ||
        !std::all_of(label.begin(), label.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
    ++labels;
    if (dot == std::string_view::npos) break;
    host.remove_prefix(dot + 1);
  }
  return labels == 4;
}

// One whitespace- or punctuation-delimited word: a link if it names a host.
bool names_a_host(std::string_view word) {
  while (!word.empty() && std::string_view(".!?:").find(word.back()) != std::string_view::npos) word.remove_suffix(1);
  bool has_user = false;
  if (auto at = word.rfind('@'); at != std::string_view::npos) {
    has_user = at > 0;
    word.remove_prefix(at + 1);
  }
  bool has_path = false;
  if (auto end = word.find_first_of("/?#"); end != std::string_view::npos) {
    has_path = end + 1 < word.size();
    word = word.substr(0, end);
  }
  if (auto colon = word.find(':'); colon != std::string_view::npos) {
    has_path = has_path || colon + 1 < word.size();  // a port
    word = word.substr(0, colon);
  }
  // The host is what a linkifier takes: letters, digits, "-" and "." (and
  // the bytes of non-ASCII letters); "cheap.com*" or "cheap.com's" end
  // where the host does.
  auto host_end = std::find_if(word.begin(), word.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return !(byte >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.');
  });
  word = word.substr(0, static_cast<std::size_t>(host_end - word.begin()));
  while (!word.empty() && (word.back() == '.' || word.back() == '-')) word.remove_suffix(1);
  if (word.find('.') == std::string_view::npos || word.front() == '.') return false;
  if (is_ipv4(word)) return has_path || has_user;
  // The host's top-level domain must be one the list names itself: its
  // implicit "*" rule would make "john.smith" a host.
  std::string top_level(word.substr(word.rfind('.') + 1));
  return psl_is_public_suffix2(public_suffixes(), top_level.c_str(), PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE) != 0;
}

// Calls `visit` with each word of `seen` until it returns true.
template <class Visit>
bool any_word(std::string_view seen, Visit visit) {
  static constexpr std::string_view separators = " \t\n\r,;()[]<>{}\"'|\\";
  std::string_view rest = seen;
  while (!rest.empty()) {
    auto start = rest.find_first_not_of(separators);
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    auto end = rest.find_first_of(separators);
    if (visit(rest.substr(0, end))) return true;
    if (end == std::string_view::npos) break;
    rest.remove_prefix(end);
  }
  return false;
}

bool has_scheme_or_www(std::string_view seen) {
  if (seen.find("://") != std::string_view::npos || seen.find("www.") != std::string_view::npos) return true;
  for (std::string_view scheme : {"http:", "https:", "mailto:", "ftp:"}) {
    if (seen.find(scheme) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

bool contains_url(std::string_view text) {
  auto seen = as_seen(text);
  return has_scheme_or_www(seen) || any_word(seen, names_a_host);
}

std::size_t count_urls(std::string_view text) {
  auto seen = as_seen(text);
  std::size_t count = 0;
  any_word(seen, [&count](std::string_view word) {
    if (has_scheme_or_www(word) || names_a_host(word)) ++count;
    return false;
  });
  return count;
}

}  // namespace leadgate::domain
