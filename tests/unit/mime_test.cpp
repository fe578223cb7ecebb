// mail/mime: the Internet message the worker sends (RFC 5322, MIME, RFC 2047
// encoded words, quoted-printable and base64 bodies). The decoders below are
// the test's own, so every check is a round trip through an independent
// reading of the output.

#include "mail/mime.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "domain/text.hpp"

namespace {

using namespace std::chrono;
using leadgate::domain::is_valid_utf8;
using leadgate::mail::Attachment;
using leadgate::mail::base64;
using leadgate::mail::compose;
using leadgate::mail::encode_header_text;
using leadgate::mail::format_mailbox;
using leadgate::mail::Mailbox;
using leadgate::mail::Message;
using leadgate::mail::parse_mailbox;
using leadgate::mail::quoted_printable;
using leadgate::mail::rfc5322_date;

// --- test-side decoders and parsers ------------------------------------------

std::vector<std::string> split(std::string_view text, std::string_view separator) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (true) {
    auto at = text.find(separator, start);
    if (at == std::string_view::npos) {
      pieces.emplace_back(text.substr(start));
      return pieces;
    }
    pieces.emplace_back(text.substr(start, at - start));
    start = at + separator.size();
  }
}

std::vector<std::string> crlf_lines(std::string_view text) { return split(text, "\r\n"); }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // RFC 2045 §6.7: encoders use upper case
}

// RFC 2045 §6.7 decoding; nullopt for anything a strict decoder would reject
// (a bad escape, a bare CR or LF).
std::optional<std::string> decode_quoted_printable(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=') {
      if (text.substr(i + 1, 2) == "\r\n") {  // soft line break
        i += 2;
        continue;
      }
      if (i + 2 >= text.size()) return std::nullopt;
      int high = hex_value(text[i + 1]);
      int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '\r') {
      if (text.substr(i, 2) != "\r\n") return std::nullopt;
      out += "\r\n";
      ++i;
    } else if (c == '\n') {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  return out;
}

// RFC 4648 base64, ignoring CR and LF between groups; nullopt when malformed.
std::optional<std::string> decode_base64(std::string_view text) {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string symbols;
  for (char c : text) {
    if (c != '\r' && c != '\n') symbols += c;
  }
  if (symbols.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < symbols.size(); i += 4) {
    unsigned value = 0;
    int padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      char c = symbols[i + j];
      value <<= 6;
      if (c == '=') {
        if (i + 4 != symbols.size() || j < 2) return std::nullopt;
        ++padding;
        continue;
      }
      if (padding > 0) return std::nullopt;
      auto index = alphabet.find(c);
      if (index == std::string_view::npos) return std::nullopt;
      value |= static_cast<unsigned>(index);
    }
    out += static_cast<char>((value >> 16) & 0xFF);
    if (padding < 2) out += static_cast<char>((value >> 8) & 0xFF);
    if (padding < 1) out += static_cast<char>(value & 0xFF);
  }
  return out;
}

constexpr std::string_view word_prefix = "=?UTF-8?B?";
constexpr std::string_view word_suffix = "?=";

bool is_encoded_word(std::string_view word) {
  if (word.size() < word_prefix.size() + word_suffix.size()) return false;
  if (!word.starts_with(word_prefix) || !word.ends_with(word_suffix)) return false;
  auto payload = word.substr(word_prefix.size(), word.size() - word_prefix.size() - word_suffix.size());
  return std::all_of(payload.begin(), payload.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=';
  });
}

// The encoded words of an encode_header_text result, split at its folds.
std::vector<std::string> encoded_words(std::string_view encoded) { return split(encoded, "\r\n "); }

std::string decode_word(std::string_view word) {
  auto payload = word.substr(word_prefix.size(), word.size() - word_prefix.size() - word_suffix.size());
  auto decoded = decode_base64(payload);
  EXPECT_TRUE(decoded.has_value()) << "bad base64 in " << word;
  return decoded.value_or("");
}

// Decodes an encode_header_text result as a mail reader would: adjacent
// encoded words joined, the white space between them dropped (RFC 2047 §6.2).
// Checks on the way that every word is well formed, at most 75 characters,
// and carries whole UTF-8 characters.
std::string decode_header_text(std::string_view encoded) {
  std::string out;
  for (const auto& word : encoded_words(encoded)) {
    EXPECT_TRUE(is_encoded_word(word)) << "not an encoded word: " << word;
    EXPECT_LE(word.size(), 75u) << word;
    auto decoded = decode_word(word);
    EXPECT_TRUE(is_valid_utf8(decoded)) << "word splits a UTF-8 character: " << word;
    out += decoded;
  }
  return out;
}

bool has_bare_line_break(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return true;
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) return true;
  }
  return false;
}

std::string with_crlf(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// A header section or entity, split into its header fields and its body.
struct Entity {
  std::vector<std::string> raw_header_lines;                 // as written, folded
  std::vector<std::pair<std::string, std::string>> headers;  // unfolded, name lower-cased
  std::string body;

  int count(std::string_view name) const {
    return static_cast<int>(std::count_if(headers.begin(), headers.end(),
                                          [&](const auto& header) { return header.first == lower(name); }));
  }
  std::string value(std::string_view name) const {
    for (const auto& [key, value] : headers) {
      if (key == lower(name)) return value;
    }
    ADD_FAILURE() << "no header " << name;
    return "";
  }
};

Entity parse_entity(std::string_view text) {
  Entity entity;
  auto end = text.find("\r\n\r\n");
  if (end == std::string_view::npos && text.ends_with("\r\n")) {
    end = text.size() - 2;  // headers only: an empty body (RFC 2046 §5.1.1)
  } else if (end == std::string_view::npos) {
    ADD_FAILURE() << "no blank line after the headers";
    return entity;
  } else {
    entity.body = std::string(text.substr(end + 4));
  }
  entity.raw_header_lines = crlf_lines(text.substr(0, end));
  std::vector<std::string> unfolded;
  for (const auto& line : entity.raw_header_lines) {
    if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !unfolded.empty()) {
      unfolded.back() += line;
    } else {
      unfolded.push_back(line);
    }
  }
  for (const auto& field : unfolded) {
    auto colon = field.find(':');
    EXPECT_NE(colon, std::string::npos) << "header line without a colon: " << field;
    if (colon == std::string::npos) continue;
    auto value = std::string(leadgate::domain::trim(std::string_view(field).substr(colon + 1)));
    entity.headers.emplace_back(lower(field.substr(0, colon)), value);
  }
  return entity;
}

// The boundary parameter of a multipart Content-Type.
std::string boundary_of(const std::string& content_type) {
  auto at = content_type.find("boundary=\"");
  EXPECT_NE(at, std::string::npos) << content_type;
  if (at == std::string::npos) return "";
  at += 10;
  return content_type.substr(at, content_type.find('"', at) - at);
}

// RFC 2046 §5.1.1: the body parts between "--boundary" lines, up to the
// "--boundary--" line, which must be there. The CRLF before a delimiter
// belongs to the delimiter.
std::vector<std::string> multipart_parts(std::string_view body, const std::string& boundary) {
  std::vector<std::string> parts;
  std::optional<std::string> current;
  bool closed = false;
  for (const auto& line : crlf_lines(body)) {
    if (closed) break;
    if (line == "--" + boundary || line == "--" + boundary + "--") {
      if (current) parts.push_back(*current);
      current = std::string();
      closed = line == "--" + boundary + "--";
      continue;
    }
    if (!current) continue;  // preamble
    *current += line;
    *current += "\r\n";
  }
  EXPECT_TRUE(closed) << "no closing delimiter --" << boundary << "--";
  // Drop the CRLF that belongs to the next delimiter.
  for (auto& part : parts) {
    if (part.ends_with("\r\n")) part.resize(part.size() - 2);
  }
  return parts;
}

Message sample_message() {
  Message message;
  message.from = {"Studio", "hello@studio.example"};
  message.to = "ana@example.com";
  message.reply_to = "owner@studio.example";
  message.subject = "Your estimate";
  message.text = "Hello Ana,\nyour estimate is ready.\n\nThe team\n";
  message.html = "<p>Hello Ana,</p>\n<p>your estimate is ready.</p>\n";
  message.message_id = "0190a7b2-7c3e-7d55-9a7e-3f1c2b4d5e6f@studio.example";
  message.date = sys_days{2026y / November / 29} + hours{14} + minutes{40} + seconds{44};
  return message;
}

std::string all_bytes() {
  std::string bytes;
  for (int round = 0; round < 2; ++round) {
    for (int byte = 0; byte < 256; ++byte) bytes += static_cast<char>(byte);
  }
  return bytes;
}

}  // namespace

// --- quoted-printable ------------------------------------------------------

TEST(quoted_printable, printable_ascii_stays_literal) {
  EXPECT_EQ(quoted_printable("Hello, world! (100% sure) <a href=x>"), "Hello, world! (100% sure) <a href=3Dx>");
  EXPECT_EQ(quoted_printable(""), "");
  EXPECT_EQ(quoted_printable("a b\tc"), "a b\tc");
}

TEST(quoted_printable, equals_sign_is_encoded) {
  EXPECT_EQ(quoted_printable("a=b"), "a=3Db");
  EXPECT_EQ(quoted_printable("=="), "=3D=3D");
}

TEST(quoted_printable, utf8_bytes_are_encoded_in_upper_case_hex) {
  EXPECT_EQ(quoted_printable("caf\xC3\xA9"), "caf=C3=A9");
  EXPECT_EQ(quoted_printable("\xE2\x82\xAC" "5"), "=E2=82=AC5");
  EXPECT_EQ(quoted_printable("\xF0\x9F\x98\x80"), "=F0=9F=98=80");
}

TEST(quoted_printable, control_characters_and_del_are_encoded) {
  EXPECT_EQ(quoted_printable(std::string("a\0b", 3)), "a=00b");
  EXPECT_EQ(quoted_printable("a\x7F" "b"), "a=7Fb");
  EXPECT_EQ(quoted_printable("a\x1B" "b"), "a=1Bb");
}

TEST(quoted_printable, space_or_tab_before_a_line_end_is_encoded) {
  EXPECT_EQ(quoted_printable("a \nb"), "a=20\r\nb");
  EXPECT_EQ(quoted_printable("a\t\r\nb"), "a=09\r\nb");
  EXPECT_EQ(quoted_printable("a  \nb"), "a =20\r\nb");
  EXPECT_EQ(quoted_printable("end "), "end=20");
  EXPECT_EQ(quoted_printable("end\t"), "end=09");
}

TEST(quoted_printable, lf_and_crlf_both_become_crlf) {
  EXPECT_EQ(quoted_printable("a\nb\r\nc"), "a\r\nb\r\nc");
  EXPECT_EQ(quoted_printable("\n\n"), "\r\n\r\n");
  EXPECT_EQ(quoted_printable("\r\n\r\n"), "\r\n\r\n");
  EXPECT_FALSE(has_bare_line_break(quoted_printable("x\ny\rz\r\n\n\r")));
}

TEST(quoted_printable, from_at_the_start_of_a_line_is_encoded) {
  EXPECT_EQ(quoted_printable("From here"), "=46rom here");
  EXPECT_EQ(quoted_printable("Hi\nFrom there"), "Hi\r\n=46rom there");
  EXPECT_EQ(quoted_printable("Hi\r\nFrom there"), "Hi\r\n=46rom there");
}

TEST(quoted_printable, from_elsewhere_stays_literal) {
  EXPECT_EQ(quoted_printable("Fromage"), "Fromage");
  EXPECT_EQ(quoted_printable("Mail From here"), "Mail From here");
  EXPECT_EQ(quoted_printable("from here"), "from here");
}

TEST(quoted_printable, long_lines_get_soft_breaks_and_no_line_exceeds_76_characters) {
  auto encoded = quoted_printable(std::string(200, 'x'));
  auto lines = crlf_lines(encoded);
  ASSERT_GE(lines.size(), 3u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size(), 76u) << "line " << i;
    if (i + 1 < lines.size()) {
      EXPECT_TRUE(lines[i].ends_with('=')) << "line " << i << " is not a soft break";
    }
  }
  EXPECT_EQ(decode_quoted_printable(encoded), std::string(200, 'x'));
}

TEST(quoted_printable, an_encoded_byte_is_never_split_by_a_soft_break) {
  // Every offset of a run of "=XX" triples against the 76-column limit.
  for (std::size_t prefix = 0; prefix < 4; ++prefix) {
    auto input = std::string(prefix, 'a') + std::string(60, '=');
    auto encoded = quoted_printable(input);
    for (const auto& line : crlf_lines(encoded)) {
      EXPECT_LE(line.size(), 76u);
      for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] != '=') continue;
        bool soft_break = i + 1 == line.size();
        bool escape = i + 2 < line.size() && hex_value(line[i + 1]) >= 0 && hex_value(line[i + 2]) >= 0;
        EXPECT_TRUE(soft_break || escape) << "prefix " << prefix << ": " << line;
      }
    }
    EXPECT_EQ(decode_quoted_printable(encoded), input) << "prefix " << prefix;
  }
}

TEST(quoted_printable, no_encoded_line_ends_in_a_space_or_tab) {
  // Spaces at every column, including just before a soft break.
  for (std::size_t prefix = 0; prefix < 80; ++prefix) {
    auto input = std::string(prefix, 'a') + "   \t  " + std::string(80, 'b') + " \n";
    for (const auto& line : crlf_lines(quoted_printable(input))) {
      EXPECT_FALSE(line.ends_with(' ') || line.ends_with('\t')) << "prefix " << prefix << ": [" << line << "]";
    }
  }
}

TEST(quoted_printable, decoding_gives_back_the_input_with_crlf_line_ends) {
  std::mt19937 random(20260529);
  const std::vector<std::string> pieces = {"a", "Z", " ", "\t", "=", ".", "From ", "\n", "\r\n",
                                           "caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "<p>", "--"};
  for (int round = 0; round < 300; ++round) {
    std::string input;
    auto length = random() % 120;
    for (std::size_t i = 0; i < length; ++i) input += pieces[random() % pieces.size()];
    auto encoded = quoted_printable(input);
    EXPECT_FALSE(has_bare_line_break(encoded));
    for (const auto& line : crlf_lines(encoded)) {
      EXPECT_LE(line.size(), 76u);
      EXPECT_FALSE(line.ends_with(' ') || line.ends_with('\t'));
      EXPECT_TRUE(std::all_of(line.begin(), line.end(), [](char c) {
        auto byte = static_cast<unsigned char>(c);
        return (byte >= 32 && byte <= 126) || byte == '\t';
      })) << line;
    }
    auto expected = std::string(input);
    // The input mixes LF and CRLF; the decoded text has CRLF only.
    std::string normalized;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      if (expected[i] == '\r' && i + 1 < expected.size() && expected[i + 1] == '\n') continue;
      normalized += expected[i];
    }
    EXPECT_EQ(decode_quoted_printable(encoded), with_crlf(normalized)) << "round " << round;
  }
}

// --- encode_header_text (RFC 2047) ---------------------------------------------

TEST(encode_header_text, ascii_text_is_unchanged) {
  EXPECT_EQ(encode_header_text("Your estimate from Studio"), "Your estimate from Studio");
  EXPECT_EQ(encode_header_text(""), "");
  EXPECT_EQ(encode_header_text("100% = \"done\", <ok>"), "100% = \"done\", <ok>");
}

TEST(encode_header_text, non_ascii_text_becomes_a_utf8_base64_encoded_word) {
  EXPECT_EQ(encode_header_text("Caf\xC3\xA9"), "=?UTF-8?B?Q2Fmw6k=?=");
  EXPECT_EQ(decode_header_text(encode_header_text("Ol\xC3\xA1, Ana")), "Ol\xC3\xA1, Ana");
}

TEST(encode_header_text, long_text_is_folded_into_words_of_at_most_75_characters) {
  std::string subject = "Tu presupuesto para la sesi\xC3\xB3n de fotos en Barcelona est\xC3\xA1 listo: "
                        "revisa los detalles, el precio y la disponibilidad para el d\xC3\xAD" "a que elegiste";
  auto encoded = encode_header_text(subject);
  auto words = encoded_words(encoded);
  EXPECT_GE(words.size(), 3u);
  EXPECT_EQ(decode_header_text(encoded), subject);
  // The only line breaks are the folds, each followed by a space.
  for (std::size_t at = encoded.find('\n'); at != std::string::npos; at = encoded.find('\n', at + 1)) {
    ASSERT_GT(at, 0u);
    EXPECT_EQ(encoded[at - 1], '\r');
    ASSERT_LT(at + 1, encoded.size());
    EXPECT_EQ(encoded[at + 1], ' ');
  }
}

TEST(encode_header_text, words_never_split_a_utf8_character) {
  // Every alignment of 2-, 3- and 4-byte characters against a word's end.
  const std::vector<std::string> characters = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xF0\x9F\x91\x8D"};
  for (const auto& character : characters) {
    for (std::size_t prefix = 0; prefix < 4; ++prefix) {
      std::string text(prefix, 'a');
      for (int i = 0; i < 40; ++i) text += character;
      auto encoded = encode_header_text(text);
      EXPECT_GE(encoded_words(encoded).size(), 2u);
      EXPECT_EQ(decode_header_text(encoded), text) << "prefix " << prefix;
    }
  }
}

TEST(encode_header_text, emoji_subjects_round_trip) {
  std::string subject = "\xF0\x9F\x8E\x89 Booked! \xF0\x9F\x93\xB8\xF0\x9F\x93\xB8 See you soon \xF0\x9F\x98\x80";
  EXPECT_EQ(decode_header_text(encode_header_text(subject)), subject);
  std::string only_emoji;
  for (int i = 0; i < 30; ++i) only_emoji += "\xF0\x9F\x98\x80";
  EXPECT_EQ(decode_header_text(encode_header_text(only_emoji)), only_emoji);
}

TEST(encode_header_text, line_breaks_are_removed) {
  for (std::string_view text : {"Hello\r\nBcc: victim@example.com", "Ol\xC3\xA1\r\nBcc: victim@example.com",
                                "a\nb\rc", "Ol\xC3\xA1\nBcc: x@y"}) {
    auto encoded = encode_header_text(text);
    auto decoded = encoded.find("=?") == std::string::npos ? encoded : decode_header_text(encoded);
    EXPECT_EQ(decoded.find('\r'), std::string::npos) << text;
    EXPECT_EQ(decoded.find('\n'), std::string::npos) << text;
    for (const auto& line : crlf_lines(encoded)) EXPECT_FALSE(line.starts_with("Bcc:")) << text;
  }
}

// --- mailboxes -------------------------------------------------------------

TEST(format_mailbox, an_address_without_a_name_is_the_bare_address) {
  EXPECT_EQ(format_mailbox({"", "hello@example.com"}), "hello@example.com");
}

TEST(format_mailbox, ascii_names_are_a_quoted_string) {
  EXPECT_EQ(format_mailbox({"Studio", "hello@example.com"}), "\"Studio\" <hello@example.com>");
  EXPECT_EQ(format_mailbox({"Doe, Jane", "jane@example.com"}), "\"Doe, Jane\" <jane@example.com>");
}

TEST(format_mailbox, quotes_and_backslashes_in_names_are_escaped) {
  EXPECT_EQ(format_mailbox({"Ana \"Nana\" Ruiz", "a@example.com"}), "\"Ana \\\"Nana\\\" Ruiz\" <a@example.com>");
  EXPECT_EQ(format_mailbox({"back\\slash", "a@example.com"}), "\"back\\\\slash\" <a@example.com>");
}

TEST(format_mailbox, non_ascii_names_are_encoded_words) {
  auto formatted = format_mailbox({"Jos\xC3\xA9 Mar\xC3\xADn", "jose@example.com"});
  ASSERT_TRUE(formatted.ends_with(" <jose@example.com>")) << formatted;
  auto name = formatted.substr(0, formatted.size() - std::string_view(" <jose@example.com>").size());
  EXPECT_EQ(decode_header_text(name), "Jos\xC3\xA9 Mar\xC3\xADn");
  EXPECT_TRUE(std::all_of(formatted.begin(), formatted.end(),
                          [](char c) { return static_cast<unsigned char>(c) < 0x80; }));
}

TEST(format_mailbox, line_breaks_cannot_add_a_header) {
  for (const Mailbox& mailbox : {Mailbox{"Ana\r\nBcc: x@y", "ana@example.com"},
                                 Mailbox{"Ana\nBcc: x@y", "ana@example.com"},
                                 Mailbox{"Ana\xC3\xA9\r\nBcc: x@y", "ana@example.com"},
                                 Mailbox{"", "ana@example.com\r\nBcc: x@y"},
                                 Mailbox{"Ana", "ana@example.com\nBcc: x@y"}}) {
    auto formatted = format_mailbox(mailbox);
    EXPECT_EQ(formatted.find('\r'), std::string::npos) << formatted;
    EXPECT_EQ(formatted.find('\n'), std::string::npos) << formatted;
  }
}

TEST(parse_mailbox, a_name_and_an_address_in_angle_brackets) {
  auto mailbox = parse_mailbox("Studio <hello@example.com>");
  EXPECT_EQ(mailbox.display_name, "Studio");
  EXPECT_EQ(mailbox.address, "hello@example.com");
}

TEST(parse_mailbox, a_bare_address_has_no_name) {
  auto mailbox = parse_mailbox("hello@example.com");
  EXPECT_EQ(mailbox.display_name, "");
  EXPECT_EQ(mailbox.address, "hello@example.com");
  auto bracketed = parse_mailbox("<hello@example.com>");
  EXPECT_EQ(bracketed.display_name, "");
  EXPECT_EQ(bracketed.address, "hello@example.com");
}

TEST(parse_mailbox, surrounding_white_space_and_quotes_are_removed) {
  auto mailbox = parse_mailbox("  \"Studio, Barcelona\"   <hello@example.com>  ");
  EXPECT_EQ(mailbox.display_name, "Studio, Barcelona");
  EXPECT_EQ(mailbox.address, "hello@example.com");
}

TEST(parse_mailbox, reads_back_what_format_mailbox_writes_for_plain_names) {
  for (const Mailbox& mailbox : {Mailbox{"Studio", "hello@example.com"}, Mailbox{"Doe, Jane", "jane@example.com"},
                                 Mailbox{"", "solo@example.com"}}) {
    auto parsed = parse_mailbox(format_mailbox(mailbox));
    EXPECT_EQ(parsed.display_name, mailbox.display_name);
    EXPECT_EQ(parsed.address, mailbox.address);
  }
}

// --- dates -----------------------------------------------------------------

TEST(rfc5322_date, formats_utc_with_day_name_and_zero_offset) {
  EXPECT_EQ(rfc5322_date(sys_days{2026y / November / 29} + hours{14} + minutes{40} + seconds{44}),
            "Sun, 29 Nov 2026 14:40:44 +0000");
  EXPECT_EQ(rfc5322_date(sys_days{2024y / March / 5} + hours{9} + minutes{7} + seconds{3}),
            "Tue, 05 Mar 2024 09:07:03 +0000");
  EXPECT_EQ(rfc5322_date(system_clock::time_point{}), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(rfc5322_date, fractions_of_a_second_are_dropped) {
  EXPECT_EQ(rfc5322_date(sys_days{2025y / December / 31} + hours{23} + minutes{59} + seconds{59} +
                         milliseconds{999}),
            "Wed, 31 Dec 2025 23:59:59 +0000");
}

// --- base64 ------------------------------------------------------------------

TEST(base64, rfc4648_test_vectors) {
  EXPECT_EQ(base64("", false), "");
  EXPECT_EQ(base64("f", false), "Zg==");
  EXPECT_EQ(base64("fo", false), "Zm8=");
  EXPECT_EQ(base64("foo", false), "Zm9v");
  EXPECT_EQ(base64("foob", false), "Zm9vYg==");
  EXPECT_EQ(base64("fooba", false), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar", false), "Zm9vYmFy");
}

TEST(base64, uses_the_standard_alphabet_with_plus_and_slash) {
  EXPECT_EQ(base64("\xFB\xFF\xBF", false), "+/+/");
  EXPECT_EQ(base64(std::string("\0\0\0", 3), false), "AAAA");
}

TEST(base64, wrapped_output_has_lines_of_76_characters_ending_in_crlf) {
  EXPECT_EQ(base64("", true), "");
  EXPECT_EQ(base64("foobar", true), "Zm9vYmFy\r\n");
  EXPECT_EQ(base64(std::string(57, 'a'), true), base64(std::string(57, 'a'), false) + "\r\n");
  auto bytes = all_bytes();
  auto wrapped = base64(bytes, true);
  ASSERT_TRUE(wrapped.ends_with("\r\n"));
  auto lines = crlf_lines(wrapped.substr(0, wrapped.size() - 2));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i + 1 < lines.size()) {
      EXPECT_EQ(lines[i].size(), 76u) << "line " << i;
    } else {
      EXPECT_LE(lines[i].size(), 76u);
    }
  }
  EXPECT_EQ(decode_base64(wrapped), bytes);
  EXPECT_EQ(decode_base64(base64(bytes, false)), bytes);
}

// --- compose -----------------------------------------------------------------

TEST(compose, every_standard_header_is_present_exactly_once) {
  auto message = parse_entity(compose(sample_message()));
  for (std::string_view name : {"From", "To", "Reply-To", "Subject", "Date", "Message-ID", "MIME-Version",
                                "Auto-Submitted", "Content-Type"}) {
    EXPECT_EQ(message.count(name), 1) << name;
  }
  EXPECT_EQ(message.value("From"), "\"Studio\" <hello@studio.example>");
  EXPECT_EQ(message.value("To"), "ana@example.com");
  EXPECT_EQ(message.value("Reply-To"), "owner@studio.example");
  EXPECT_EQ(message.value("Subject"), "Your estimate");
  EXPECT_EQ(message.value("Date"), "Sun, 29 Nov 2026 14:40:44 +0000");
  EXPECT_EQ(message.value("Message-ID"), "<0190a7b2-7c3e-7d55-9a7e-3f1c2b4d5e6f@studio.example>");
  EXPECT_EQ(message.value("MIME-Version"), "1.0");
  EXPECT_EQ(message.value("Auto-Submitted"), "auto-generated");
}

TEST(compose, reply_to_is_left_out_when_there_is_none) {
  auto input = sample_message();
  input.reply_to.reset();
  EXPECT_EQ(parse_entity(compose(input)).count("Reply-To"), 0);
}

TEST(compose, copied_addresses_are_one_cc_header_and_none_without_them) {
  auto input = sample_message();
  EXPECT_EQ(parse_entity(compose(input)).count("Cc"), 0);
  input.cc = {"sales@studio.example", "ben@studio.example"};
  auto message = parse_entity(compose(input));
  EXPECT_EQ(message.count("Cc"), 1);
  EXPECT_EQ(message.value("Cc"), "sales@studio.example, ben@studio.example");
}

TEST(compose, every_line_ends_in_crlf) {
  auto input = sample_message();
  input.text = "one\ntwo\r\nthree\n";
  input.html = "<p>one</p>\n<p>two</p>\r\n";
  input.attachments.push_back({"invite.ics", "text/calendar; charset=UTF-8", "BEGIN:VCALENDAR\nEND:VCALENDAR\n"});
  auto composed = compose(input);
  EXPECT_FALSE(has_bare_line_break(composed));
  EXPECT_TRUE(composed.ends_with("\r\n"));
}

TEST(compose, headers_are_ascii_with_non_ascii_text_in_encoded_words) {
  auto input = sample_message();
  input.from.display_name = "Estudio Mar\xC3\xAD" "a";
  input.subject = "Tu presupuesto est\xC3\xA1 listo \xF0\x9F\x93\xB8";
  auto composed = compose(input);
  auto message = parse_entity(composed);
  for (const auto& line : message.raw_header_lines) {
    EXPECT_TRUE(std::all_of(line.begin(), line.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        << line;
  }
  EXPECT_EQ(decode_header_text(message.value("Subject")), input.subject);
  auto from = message.value("From");
  ASSERT_TRUE(from.ends_with(" <hello@studio.example>")) << from;
  EXPECT_EQ(decode_header_text(from.substr(0, from.find(" <"))), input.from.display_name);
}

TEST(compose, a_long_non_ascii_subject_is_folded_and_round_trips) {
  auto input = sample_message();
  input.subject.clear();
  for (int i = 0; i < 12; ++i) input.subject += "Presupuesto n\xC2\xBA " + std::to_string(i) + " \xE2\x80\x94 ";
  auto composed = compose(input);
  auto message = parse_entity(composed);
  EXPECT_EQ(message.count("Subject"), 1);
  // Continuation lines of encoded words stay within RFC 2047's 76 characters.
  for (const auto& line : message.raw_header_lines) {
    if (line.starts_with(' ')) {
      EXPECT_LE(line.size(), 76u) << line;
    }
  }
  // Unfolding keeps the white space; the decoder drops it between words.
  auto folded = message.value("Subject");
  std::string refolded;
  for (const auto& word : split(folded, " ")) {
    if (!refolded.empty()) refolded += "\r\n ";
    refolded += word;
  }
  EXPECT_EQ(decode_header_text(refolded), input.subject);
}

TEST(compose, without_attachments_the_body_is_alternative_text_then_html) {
  auto input = sample_message();
  input.text = "Hola Ana,\ntu presupuesto: 1.200 \xE2\x82\xAC\n";
  input.html = "<p>Hola Ana,</p>\n<p>tu presupuesto: 1.200&nbsp;\xE2\x82\xAC</p>\n";
  auto message = parse_entity(compose(input));
  auto content_type = message.value("Content-Type");
  ASSERT_TRUE(content_type.starts_with("multipart/alternative;")) << content_type;
  auto parts = multipart_parts(message.body, boundary_of(content_type));
  ASSERT_EQ(parts.size(), 2u);

  auto text = parse_entity(parts[0]);
  EXPECT_EQ(text.value("Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(text.value("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(decode_quoted_printable(text.body), with_crlf(input.text));

  auto html = parse_entity(parts[1]);
  EXPECT_EQ(html.value("Content-Type"), "text/html; charset=UTF-8");
  EXPECT_EQ(html.value("Content-Transfer-Encoding"), "quoted-printable");
  EXPECT_EQ(decode_quoted_printable(html.body), with_crlf(input.html));
}

TEST(compose, boundaries_do_not_occur_inside_the_parts) {
  auto input = sample_message();
  input.attachments.push_back({"notes.txt", "text/plain; charset=UTF-8", all_bytes()});
  // Text that tries to look like the boundaries themselves.
  auto first = compose(input);
  auto message = parse_entity(first);
  auto mixed = boundary_of(message.value("Content-Type"));
  auto parts = multipart_parts(message.body, mixed);
  ASSERT_EQ(parts.size(), 2u);
  auto alternative = boundary_of(parse_entity(parts[0]).value("Content-Type"));
  input.text = "--" + alternative + "\n--" + mixed + "--\n" + alternative + "\n";
  input.html = "<pre>--" + alternative + "--\n--" + mixed + "</pre>";
  input.attachments[0].content = "--" + mixed + "\r\n--" + alternative + "--\r\n";

  message = parse_entity(compose(input));
  ASSERT_EQ(boundary_of(message.value("Content-Type")), mixed);
  parts = multipart_parts(message.body, mixed);
  ASSERT_EQ(parts.size(), 2u);
  for (const auto& part : parts) EXPECT_EQ(part.find(mixed), std::string::npos) << part;
  auto inner = parse_entity(parts[0]);
  auto alternatives = multipart_parts(inner.body, alternative);
  ASSERT_EQ(alternatives.size(), 2u);
  for (const auto& part : alternatives) {
    EXPECT_EQ(part.find(alternative), std::string::npos) << part;
    EXPECT_EQ(part.find(mixed), std::string::npos) << part;
  }
  EXPECT_EQ(decode_quoted_printable(parse_entity(alternatives[0]).body), with_crlf(input.text));
  EXPECT_EQ(decode_quoted_printable(parse_entity(alternatives[1]).body), with_crlf(input.html));
  EXPECT_EQ(decode_base64(parse_entity(parts[1]).body), input.attachments[0].content);
}

TEST(compose, the_two_boundaries_differ) {
  auto input = sample_message();
  input.attachments.push_back({"a.txt", "text/plain", "a"});
  auto message = parse_entity(compose(input));
  auto mixed = boundary_of(message.value("Content-Type"));
  auto parts = multipart_parts(message.body, mixed);
  ASSERT_FALSE(parts.empty());
  auto alternative = boundary_of(parse_entity(parts[0]).value("Content-Type"));
  EXPECT_NE(mixed, alternative);
  EXPECT_EQ(mixed.find(alternative), std::string::npos);
  EXPECT_EQ(alternative.find(mixed), std::string::npos);
}

TEST(compose, attachments_make_a_mixed_message_with_the_alternative_first) {
  auto input = sample_message();
  std::string calendar = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nSUMMARY:Sesi\xC3\xB3n de fotos\r\n";
  for (int i = 0; i < 20; ++i) calendar += "DESCRIPTION:line " + std::to_string(i) + "\r\n";
  calendar += "END:VCALENDAR\r\n";
  input.attachments.push_back({"invite.ics", "text/calendar; method=REQUEST; charset=UTF-8", calendar});
  input.attachments.push_back({"raw.bin", "application/octet-stream", all_bytes()});
  auto message = parse_entity(compose(input));
  EXPECT_EQ(message.count("Content-Type"), 1);
  auto content_type = message.value("Content-Type");
  ASSERT_TRUE(content_type.starts_with("multipart/mixed;")) << content_type;
  auto parts = multipart_parts(message.body, boundary_of(content_type));
  ASSERT_EQ(parts.size(), 3u);

  auto alternative = parse_entity(parts[0]);
  auto alternative_type = alternative.value("Content-Type");
  ASSERT_TRUE(alternative_type.starts_with("multipart/alternative;")) << alternative_type;
  auto texts = multipart_parts(alternative.body, boundary_of(alternative_type));
  ASSERT_EQ(texts.size(), 2u);
  EXPECT_TRUE(parse_entity(texts[0]).value("Content-Type").starts_with("text/plain"));
  EXPECT_TRUE(parse_entity(texts[1]).value("Content-Type").starts_with("text/html"));
  EXPECT_EQ(decode_quoted_printable(parse_entity(texts[0]).body), with_crlf(input.text));

  auto invite = parse_entity(parts[1]);
  EXPECT_EQ(invite.value("Content-Type"), "text/calendar; method=REQUEST; charset=UTF-8; name=\"invite.ics\"");
  EXPECT_EQ(invite.value("Content-Disposition"), "attachment; filename=\"invite.ics\"");
  EXPECT_EQ(invite.value("Content-Transfer-Encoding"), "base64");
  EXPECT_EQ(decode_base64(invite.body), calendar);
  for (const auto& line : crlf_lines(invite.body)) EXPECT_LE(line.size(), 76u);

  auto raw = parse_entity(parts[2]);
  EXPECT_EQ(raw.value("Content-Type"), "application/octet-stream; name=\"raw.bin\"");
  EXPECT_EQ(decode_base64(raw.body), all_bytes());
}

TEST(compose, an_empty_attachment_is_still_a_part) {
  auto input = sample_message();
  input.attachments.push_back({"empty.txt", "text/plain", ""});
  auto message = parse_entity(compose(input));
  auto parts = multipart_parts(message.body, boundary_of(message.value("Content-Type")));
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(decode_base64(parse_entity(parts[1]).body), "");
}

TEST(compose, extra_headers_are_present) {
  auto input = sample_message();
  input.extra_headers = {{"List-Unsubscribe", "<https://studio.example/unsubscribe?t=abc>"},
                         {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}};
  auto message = parse_entity(compose(input));
  EXPECT_EQ(message.count("List-Unsubscribe"), 1);
  EXPECT_EQ(message.value("List-Unsubscribe"), "<https://studio.example/unsubscribe?t=abc>");
  EXPECT_EQ(message.count("List-Unsubscribe-Post"), 1);
  EXPECT_EQ(message.value("List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
}

TEST(compose, line_breaks_in_any_header_value_cannot_add_a_header) {
  auto input = sample_message();
  input.subject = "Hello\r\nBcc: victim@example.com";
  input.from.display_name = "Ana\r\nBcc: victim@example.com";
  input.to = "ana@example.com\r\nBcc: victim@example.com";
  input.reply_to = "ana@example.com\nBcc: victim@example.com";
  input.message_id = "x@example.com>\r\nBcc: victim@example.com";
  input.extra_headers = {{"List-Unsubscribe", "<mailto:u@example.com>\r\nBcc: victim@example.com"},
                         {"List-Unsubscribe-Post\r\nBcc: victim@example.com", "List-Unsubscribe=One-Click"}};
  input.attachments.push_back(
      {"a.txt\"\r\nBcc: victim@example.com", "text/plain\r\nBcc: victim@example.com", "content"});
  auto composed = compose(input);
  EXPECT_FALSE(has_bare_line_break(composed));
  for (const auto& line : crlf_lines(composed)) {
    EXPECT_FALSE(lower(line).starts_with("bcc:")) << line;
  }
  auto message = parse_entity(composed);
  EXPECT_EQ(message.count("Bcc"), 0);
}

TEST(compose, a_non_ascii_subject_with_a_line_break_cannot_add_a_header) {
  auto input = sample_message();
  input.subject = "Ol\xC3\xA1\r\nBcc: victim@example.com";
  auto composed = compose(input);
  for (const auto& line : crlf_lines(composed)) EXPECT_FALSE(lower(line).starts_with("bcc:")) << line;
  auto message = parse_entity(composed);
  EXPECT_EQ(message.count("Bcc"), 0);
  auto subject = decode_header_text(message.value("Subject"));
  EXPECT_EQ(subject.find('\r'), std::string::npos);
  EXPECT_EQ(subject.find('\n'), std::string::npos);
}

// --- regressions --------------------------------------------------------------

TEST(quoted_printable, from_after_a_soft_line_break_is_encoded_too) {
  auto encoded = quoted_printable(std::string(75, 'a') + "From x");
  for (const auto& line : crlf_lines(encoded)) EXPECT_FALSE(line.starts_with("From ")) << line;
  EXPECT_EQ(decode_quoted_printable(encoded), std::string(75, 'a') + "From x");
}

TEST(compose, header_lines_with_encoded_words_stay_within_76_characters) {
  auto message = sample_message();
  message.subject = std::string(40, 'x') + " Ünïcödé " + std::string(30, 'y');
  message.from = {"Estudio de fotografía María Luz Barcelona", "hello@studio.example"};
  auto entity = parse_entity(compose(message));
  for (const auto& line : entity.raw_header_lines) EXPECT_LE(line.size(), 76u) << line;
  std::string refolded;
  for (const auto& word : split(entity.value("Subject"), " ")) refolded += (refolded.empty() ? "" : "\r\n ") + word;
  EXPECT_EQ(decode_header_text(refolded), message.subject);
}

TEST(compose, long_ascii_subjects_are_folded_at_spaces) {
  auto message = sample_message();
  std::string subject;
  for (int i = 0; i < 120; ++i) subject += "word" + std::to_string(i) + " ";
  subject.pop_back();
  message.subject = subject;
  auto entity = parse_entity(compose(message));
  for (const auto& line : entity.raw_header_lines) EXPECT_LE(line.size(), 76u) << line;
  EXPECT_EQ(entity.value("Subject"), subject);
}

TEST(compose, non_ascii_attachment_names_use_rfc2231_and_an_ascii_fallback) {
  auto message = sample_message();
  message.attachments.push_back({"presupuesto-Mar\xC3\xAD" "a.pdf", "application/pdf", "%PDF"});
  auto text = compose(message);
  EXPECT_NE(text.find("filename*=UTF-8''presupuesto-Mar%C3%ADa.pdf"), std::string::npos) << text;
  EXPECT_NE(text.find("filename=\"presupuesto-Mar_a.pdf\""), std::string::npos) << text;
  for (char c : text) EXPECT_LT(static_cast<unsigned char>(c), 0x80);
}

TEST(compose, a_backslash_in_an_attachment_name_cannot_break_its_quotes) {
  auto message = sample_message();
  message.attachments.push_back({"a\\", "text/plain", "x"});
  EXPECT_NE(compose(message).find("filename=\"a_\""), std::string::npos);
}

TEST(compose, boundaries_stay_within_70_characters_whatever_the_domain) {
  auto message = sample_message();
  message.message_id = "0190a7b2-7c3e-7d55-9a7e-3f1c2b4d5e6f@mail.fotografiabarcelona-and-friends.example";
  message.attachments.push_back({"a.txt", "text/plain", "x"});
  auto top = parse_entity(compose(message));
  EXPECT_LE(boundary_of(top.value("Content-Type")).size(), 70u);
}

// Under ASan, reading past the end of the input fails this test.
TEST(encode_header_text, truncated_utf8_is_encoded_without_reading_past_the_end) {
  for (std::string_view input : {"Caf\xC3", "\xF0", "\xE2\x80"}) {
    auto encoded = encode_header_text(input);
    ASSERT_TRUE(encoded.starts_with("=?UTF-8?B?") && encoded.ends_with("?=")) << encoded;
    EXPECT_EQ(decode_word(encoded), input);
  }
}

TEST(encode_header_text, ascii_that_looks_like_an_encoded_word_is_encoded) {
  auto encoded = encode_header_text("=?UTF-8?B?SGk=?=");
  EXPECT_TRUE(encoded.starts_with("=?UTF-8?B?")) << encoded;
  EXPECT_EQ(decode_header_text(encoded), "=?UTF-8?B?SGk=?=");
}

TEST(parse_mailbox, quoted_pairs_in_a_name_are_unescaped) {
  Mailbox original{"Ana \"Nana\" Ruiz", "ana@example.com"};
  auto parsed = parse_mailbox(format_mailbox(original));
  EXPECT_EQ(parsed.display_name, original.display_name);
  EXPECT_EQ(parsed.address, original.address);
}
