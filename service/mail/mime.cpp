#include "mail/mime.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <ctime>

#include "domain/digest.hpp"
#include "domain/text.hpp"

namespace leadgate::mail {

namespace {

constexpr std::string_view crlf = "\r\n";

// RFC 5322 §2.1.1 and RFC 2047 §2: header lines of at most 76 characters
// where we can choose (the hard limit is 998).
constexpr std::size_t max_line = 76;

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Header values never carry a line break: that is what would let input add
// a header or a recipient.
std::string single_line(std::string_view text) {
  std::string out(text);
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

// Bytes of the UTF-8 character starting at `lead`.
std::size_t character_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Folds plain ASCII header text at spaces so lines stay within max_line;
// `used` is what the line already holds ("Subject: ").
std::string fold_ascii(const std::string& text, std::size_t used) {
  std::string out;
  std::size_t column = used;
  std::size_t start = 0;
  while (start < text.size()) {
    auto space = text.find(' ', start + 1);
    auto word = std::string_view(text).substr(start, space == std::string::npos ? std::string::npos : space - start);
    if (column + word.size() > max_line && !out.empty() && word.front() == ' ') {
      out += "\r\n";
      column = 0;
    }
    out += word;
    column += word.size();
    start += word.size();
  }
  return out;
}

std::string normalize_line_ends(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 40);
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      out += crlf;
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else if (text[i] == '\n') {
      out += crlf;
    } else {
      out += text[i];
    }
  }
  return out;
}

std::string boundary_for(const std::string& message_id, std::string_view part) {
  // "=_" never occurs in quoted-printable or base64 text, so the boundary
  // cannot collide with content; a hash of the message id keeps it unique per
  // message and well within the 70 characters RFC 2046 allows.
  return "=_leadgate_" + domain::sha256_hex(message_id).substr(0, 24) + "_" + std::string(part);
}

// An attachment's file name: an ASCII fallback in a quoted string, and the
// exact UTF-8 name as an RFC 2231 extended parameter when it is not ASCII.
std::string file_name_parameters(std::string_view parameter, const std::string& name) {
  std::string fallback;
  for (char c : name) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte >= 0x7F || c == '"' || c == '\\') {
      if (byte < 0x80 || (byte & 0xC0) == 0xC0) fallback += '_';  // one '_' per character
    } else {
      fallback += c;
    }
  }
  std::string parameters = std::string(parameter) + "=\"" + fallback + "\"";
  if (!is_ascii(name)) {
    static constexpr char hex[] = "0123456789ABCDEF";
    parameters += "; " + std::string(parameter) + "*=UTF-8''";
    for (char c : name) {
      auto byte = static_cast<unsigned char>(c);
      if (std::isalnum(byte) != 0 && byte < 0x80) {
        parameters += c;
      } else if (c == '.' || c == '-' || c == '_') {
        parameters += c;
      } else {
        parameters += '%';
        parameters += hex[byte >> 4];
        parameters += hex[byte & 0x0F];
      }
    }
  }
  return parameters;
}

void append_header(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += crlf;
}

void append_text_part(std::string& out, std::string_view content_type, std::string_view body) {
  append_header(out, "Content-Type", content_type);
  append_header(out, "Content-Transfer-Encoding", "quoted-printable");
  out += crlf;
  out += quoted_printable(body);
  out += crlf;
}

void append_alternative(std::string& out, const Message& message, const std::string& boundary) {
  append_header(out, "Content-Type", "multipart/alternative;\r\n boundary=\"" + boundary + "\"");
  out += crlf;
  out += "--" + boundary + std::string(crlf);
  append_text_part(out, "text/plain; charset=UTF-8", message.text);
  out += "--" + boundary + std::string(crlf);
  append_text_part(out, "text/html; charset=UTF-8", message.html);
  out += "--" + boundary + "--" + std::string(crlf);
}

}  // namespace

Mailbox parse_mailbox(std::string_view text) {
  text = domain::trim(text);
  auto open = text.rfind('<');
  if (open == std::string_view::npos || !text.ends_with('>')) return {"", std::string(text)};
  auto name = domain::trim(text.substr(0, open));
  std::string unquoted(name);
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    unquoted.clear();
    for (std::size_t i = 1; i + 1 < name.size(); ++i) {
      if (name[i] == '\\' && i + 2 < name.size()) ++i;  // a quoted-pair
      unquoted += name[i];
    }
  }
  return {unquoted, std::string(text.substr(open + 1, text.size() - open - 2))};
}

std::string base64(std::string_view data, bool wrap_lines) {
  std::string encoded(4 * ((data.size() + 2) / 3), '\0');
  auto length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                reinterpret_cast<const unsigned char*>(data.data()), static_cast<int>(data.size()));
  encoded.resize(static_cast<std::size_t>(length));
  if (!wrap_lines) return encoded;
  std::string wrapped;
  for (std::size_t i = 0; i < encoded.size(); i += 76) {
    wrapped += encoded.substr(i, 76);
    wrapped += crlf;
  }
  return wrapped;
}

std::string encode_header_text(std::string_view text, std::size_t used) {
  auto line = single_line(text);
  // ASCII that merely looks like an encoded word would be decoded by mail
  // clients into whatever it spells: encode it too.
  if (is_ascii(line) && line.find("=?") == std::string::npos) return fold_ascii(line, used);
  // Encoded words: "=?UTF-8?B?" + base64 + "?=", at most 75 characters, on
  // lines of at most 76 (RFC 2047 §2), split only between characters (§5).
  std::string out;
  std::string_view rest = line;
  std::size_t column = used;
  while (!rest.empty()) {
    if (!out.empty()) {
      out += "\r\n ";
      column = 1;
    }
    std::size_t room = std::min<std::size_t>(75, max_line - column);
    std::size_t max_bytes = room > 12 ? (room - 12) / 4 * 3 : 3;
    std::size_t take = 0;
    while (take < rest.size()) {
      // A truncated character at the end counts as the bytes that are there.
      auto next = std::min(character_length(static_cast<unsigned char>(rest[take])), rest.size() - take);
      if (take > 0 && take + next > max_bytes) break;
      take += next;
    }
    auto word = "=?UTF-8?B?" + base64(rest.substr(0, take), false) + "?=";
    out += word;
    column += word.size();
    rest.remove_prefix(take);
  }
  return out;
}

std::string format_mailbox(const Mailbox& mailbox, std::size_t used) {
  auto address = "<" + single_line(mailbox.address) + ">";
  auto name = single_line(mailbox.display_name);
  if (name.empty()) return single_line(mailbox.address);
  std::string phrase;
  if (!is_ascii(name) || name.find("=?") != std::string::npos) {
    phrase = encode_header_text(name, used);
  } else {
    // A quoted string keeps commas and other specials from splitting the
    // name into several addresses.
    phrase = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += '"';
  }
  auto last_line = phrase.size() - (phrase.rfind('\n') == std::string::npos ? 0 : phrase.rfind('\n') + 1);
  std::size_t column = phrase.find('\n') == std::string::npos ? used + phrase.size() : last_line;
  // The address goes on a line of its own when it would overflow this one.
  return phrase + (column + 1 + address.size() > max_line ? "\r\n " : " ") + address;
}

std::string quoted_printable(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  auto normalized = normalize_line_ends(text);
  std::string out;
  std::size_t column = 0;
  auto emit = [&](std::string_view piece) {
    // Soft line break: lines stay within 76 characters.
    if (column + piece.size() > 75) {
      out += "=\r\n";
      column = 0;
    }
    out += piece;
    column += piece.size();
  };
  for (std::size_t i = 0; i < normalized.size(); ++i) {
    auto byte = static_cast<unsigned char>(normalized[i]);
    if (byte == '\r' && i + 1 < normalized.size() && normalized[i + 1] == '\n') {
      out += crlf;
      column = 0;
      ++i;
      continue;
    }
    bool line_end_follows = i + 1 == normalized.size() || normalized[i + 1] == '\r';
    bool literal = (byte >= 33 && byte <= 126 && byte != '=') || ((byte == ' ' || byte == '\t') && !line_end_follows);
    // A "." alone at the start of a line is left to the SMTP layer's dot
    // stuffing; "From " is encoded so mbox readers do not mangle it.
    bool starts_line = column == 0 || column + 1 > 75;  // emit() is about to break the line
    if (literal && starts_line && byte == 'F' && normalized.compare(i, 5, "From ") == 0) literal = false;
    if (literal) {
      emit(std::string_view(normalized).substr(i, 1));
    } else {
      char encoded[3] = {'=', hex[byte >> 4], hex[byte & 0x0F]};
      emit(std::string_view(encoded, 3));
    }
  }
  return out;
}

std::string rfc5322_date(std::chrono::system_clock::time_point time) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[utc.tm_wday], utc.tm_mday,
                months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
  return buffer;
}

std::string compose(const Message& message) {
  std::string out;
  out.reserve(message.text.size() + message.html.size() * 11 / 10 + 2048);
  append_header(out, "From", format_mailbox(message.from, std::string_view("From: ").size()));
  append_header(out, "To", format_mailbox({"", message.to}));
  if (!message.cc.empty()) {
    std::string copied;
    for (const auto& address : message.cc) {
      if (!copied.empty()) copied += ",\r\n ";
      copied += format_mailbox({"", address});
    }
    append_header(out, "Cc", copied);
  }
  if (message.reply_to) append_header(out, "Reply-To", format_mailbox({"", *message.reply_to}));
  append_header(out, "Subject", encode_header_text(message.subject, std::string_view("Subject: ").size()));
  append_header(out, "Date", rfc5322_date(message.date));
  append_header(out, "Message-ID", "<" + single_line(message.message_id) + ">");
  append_header(out, "MIME-Version", "1.0");
  // RFC 3834: tells vacation responders not to answer a machine.
  append_header(out, "Auto-Submitted", "auto-generated");
  for (const auto& [name, value] : message.extra_headers) append_header(out, single_line(name), single_line(value));

  auto alternative = boundary_for(message.message_id, "alt");
  if (message.attachments.empty()) {
    append_alternative(out, message, alternative);
    return out;
  }
  auto mixed = boundary_for(message.message_id, "mixed");
  append_header(out, "Content-Type", "multipart/mixed;\r\n boundary=\"" + mixed + "\"");
  out += crlf;
  out += "--" + mixed + std::string(crlf);
  append_alternative(out, message, alternative);
  for (const auto& attachment : message.attachments) {
    out += "--" + mixed + std::string(crlf);
    auto filename = single_line(attachment.filename);
    append_header(out, "Content-Type", single_line(attachment.content_type) + "; " + file_name_parameters("name", filename));
    append_header(out, "Content-Disposition", "attachment; " + file_name_parameters("filename", filename));
    append_header(out, "Content-Transfer-Encoding", "base64");
    out += crlf;
    out += base64(attachment.content, true);
  }
  out += "--" + mixed + "--" + std::string(crlf);
  return out;
}

}  // namespace leadgate::mail
