#pragma once
// Character-level rules shared by every form: UTF-8 validity, control
// characters, lengths in characters (not bytes), e-mail and phone syntax.

#include <optional>
#include <string>
#include <string_view>

namespace leadgate::domain {

bool is_valid_utf8(std::string_view text);

// Number of Unicode code points; `text` must be valid UTF-8.
std::size_t count_characters(std::string_view text);

// The first `count` code points of `text` (all of it if shorter), never
// cutting a character in half; `text` must be valid UTF-8.
std::string_view first_characters(std::string_view text, std::size_t count);

enum class Lines { single, multiple };

// C0 and C1 control characters and DEL. With Lines::multiple, tab, CR and LF
// are allowed (a textarea); CR/LF are never allowed in single-line fields,
// which is what keeps visitor input out of e-mail headers.
bool has_control_characters(std::string_view text, Lines lines);

// Invisible characters that change how the text around them is shown or
// read: the bidirectional embeddings, overrides and isolates (U+202A–202E,
// U+2066–2069, which can make a name read backwards in a mail client or an
// admin page), the soft hyphen (U+00AD), the direction marks (U+200E,
// U+200F, U+061C), zero-width
// space and word joiner (U+200B, U+2060), the byte-order mark (U+FEFF) and
// the line and paragraph separators (U+2028, U+2029). Zero-width (non-)
// joiners stay allowed: Persian and Indic names need them. `text` must be
// valid UTF-8.
bool has_invisible_format_characters(std::string_view text);

// Strips ASCII whitespace at both ends.
std::string_view trim(std::string_view text);

// A practical e-mail address check: one @, a dot-atom local part of at most
// 64 bytes, a domain of letters/digits/hyphens (or UTF-8, for IDNs) with a
// top-level label of two or more letters, 254 bytes at most. Returns the
// address with its domain lower-cased and, if internationalised, in its
// ASCII form (b\u00FCcher.de → xn--bcher-kva.de), or nothing.
std::optional<std::string> normalize_email(std::string_view text);

// Digits, spaces and + ( ) - . only, with at least one digit.
bool is_valid_phone(std::string_view text);

}  // namespace leadgate::domain
