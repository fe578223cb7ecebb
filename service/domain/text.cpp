#include "domain/text.hpp"

#include <idn2.h>

#include <cstdint>
#include <cstring>

#include <algorithm>
#include <array>
#include <cctype>

namespace leadgate::domain {

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

bool eight_ascii_bytes(const unsigned char* bytes) {
  std::uint64_t word;
  std::memcpy(&word, bytes, sizeof word);
  return (word & 0x8080808080808080u) == 0;
}

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

// RFC 5322 "atext": the characters of a dot-atom local part.
bool is_atext(char c) {
  static constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
  return is_ascii_alpha(c) || is_ascii_digit(c) || specials.find(c) != std::string_view::npos;
}

bool is_valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > 64) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  if (local.find("..") != std::string_view::npos) return false;
  return std::all_of(local.begin(), local.end(), [](char c) { return c == '.' || is_atext(c); });
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

bool is_valid_domain_label(std::string_view label) {
  if (label.empty() || label.size() > 63) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  // Bytes >= 0x80 are parts of UTF-8 characters of an internationalised
  // domain name; the whole address was checked to be valid UTF-8 before.
  return std::all_of(label.begin(), label.end(), [](char c) {
    return is_ascii_alpha(c) || is_ascii_digit(c) || c == '-' || static_cast<unsigned char>(c) >= 0x80;
  });
}

bool is_valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  std::size_t labels = 0;
  std::string_view last;
  while (true) {
    auto dot = domain.find('.');
    auto label = domain.substr(0, dot);
    if (!is_valid_domain_label(label)) return false;
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    domain.remove_prefix(dot + 1);
  }
  if (labels < 2) return false;
  // A top-level domain is letters only (or an IDN, in either form), at least
  // two of them.
  if (lower_ascii(last.substr(0, 4)) == "xn--") return true;
  return last.size() >= 2 && std::none_of(last.begin(), last.end(), [](char c) { return is_ascii_digit(c) || c == '-'; });
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    // Most text is ASCII: skip it eight bytes at a time.
    if (size - i >= 8 && eight_ascii_bytes(bytes + i)) {
      i += 8;
      continue;
    }
    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    char32_t code_point;
    if ((lead & 0xE0) == 0xC0) {
      length = 2;
      code_point = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      code_point = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      code_point = lead & 0x07;
    } else {
      return false;
    }
    if (i + length > size) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if (!is_continuation(bytes[i + k])) return false;
      code_point = (code_point << 6) | (bytes[i + k] & 0x3F);
    }
    // Overlong encodings, UTF-16 surrogates and values past U+10FFFF are
    // invalid UTF-8 even when the byte pattern looks right.
    static constexpr char32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < minimum[length]) return false;
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
    if (code_point > 0x10FFFF) return false;
    i += length;
  }
  return true;
}

std::size_t count_characters(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return !is_continuation(static_cast<unsigned char>(c));
  }));
}

std::string_view first_characters(std::string_view text, std::size_t count) {
  std::size_t end = 0;
  for (std::size_t seen = 0; end < text.size(); ++end) {
    if (!is_continuation(static_cast<unsigned char>(text[end])) && seen++ == count) break;
  }
  return text.substr(0, end);
}

bool has_control_characters(std::string_view text, Lines lines) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char byte = bytes[i];
    if (byte < 0x20) {
      bool allowed = lines == Lines::multiple && (byte == '\n' || byte == '\r' || byte == '\t');
      if (!allowed) return true;
    } else if (byte == 0x7F) {
      return true;
    } else if (byte == 0xC2 && i + 1 < text.size() && bytes[i + 1] >= 0x80 && bytes[i + 1] <= 0x9F) {
      return true;  // U+0080..U+009F, the C1 controls
    }
  }
  return false;
}

bool has_invisible_format_characters(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  for (std::size_t i = 0; i < size; ++i) {
    // Every character looked for starts with 0xC2, 0xD8, 0xE2 or 0xEF: one
    // comparison per byte for ASCII, which is what form fields mostly are
    // (this runs on a dozen fields of every form post).
    if (bytes[i] < 0xC2) continue;
    unsigned a = bytes[i];
    unsigned b = i + 1 < size ? bytes[i + 1] : 0;
    if (a == 0xC2 && b == 0xAD) return true;  // U+00AD soft hyphen
    if (a < 0xD8) continue;
    unsigned c = i + 2 < size ? bytes[i + 2] : 0;
    if (a == 0xD8 && b == 0x9C) return true;                                              // U+061C
    if (a == 0xE2 && b == 0x80 && (c == 0x8B || c == 0x8E || c == 0x8F)) return true;     // U+200B, 200E, 200F
    if (a == 0xE2 && b == 0x80 && c >= 0xA8 && c <= 0xAE) return true;                   // U+2028–202E
    if (a == 0xE2 && b == 0x81 && (c == 0xA0 || (c >= 0xA6 && c <= 0xA9))) return true;  // U+2060, 2066–2069
    if (a == 0xEF && b == 0xBB && c == 0xBF) return true;                                 // U+FEFF
  }
  return false;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_ascii_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ascii_space(text.back())) text.remove_suffix(1);
  return text;
}

// An internationalised domain in its ASCII form (xn--…, IDNA2008 with
// Unicode's TR46 mapping): e-mail headers and the SMTP envelope carry ASCII,
// and one form per domain keeps lookups and the per-address cap exact.
std::optional<std::string> ascii_domain(std::string_view domain) {
  if (std::all_of(domain.begin(), domain.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return lower_ascii(domain);
  }
  std::string unicode(domain);
  char* ascii = nullptr;
  if (idn2_to_ascii_8z(unicode.c_str(), &ascii, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL) != IDN2_OK) return std::nullopt;
  std::string converted = lower_ascii(ascii);
  idn2_free(ascii);
  if (!is_valid_domain(converted)) return std::nullopt;
  return converted;
}

std::optional<std::string> normalize_email(std::string_view text) {
  if (text.size() > 254) return std::nullopt;
  auto at = text.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  auto local = text.substr(0, at);
  auto domain = text.substr(at + 1);
  if (!is_valid_local_part(local) || !is_valid_domain(domain)) return std::nullopt;
  auto converted = ascii_domain(domain);
  if (!converted) return std::nullopt;
  std::string normalized(local);
  normalized += '@';
  normalized += *converted;
  if (normalized.size() > 254) return std::nullopt;
  return normalized;
}

bool is_valid_phone(std::string_view text) {
  static constexpr std::string_view allowed = "0123456789 +()-.";
  bool has_digit = false;
  for (char c : text) {
    if (allowed.find(c) == std::string_view::npos) return false;
    has_digit = has_digit || is_ascii_digit(c);
  }
  return has_digit;
}

}  // namespace leadgate::domain
