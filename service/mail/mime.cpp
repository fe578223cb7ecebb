#include "mail/mime.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <ctime>

#include "domain/text.hpp"

namespace leadgate::mail {

namespace {

constexpr std::string_view crlf = "\r\n";

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
  // cannot collide with content; the message id keeps it unique per message.
  std::string boundary = "=_leadgate_";
  for (char c : message_id) {
    if (std::isalnum(static_cast<unsigned char>(c))) boundary += c;
  }
  boundary += '_';
  boundary += part;
  return boundary;
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
  append_header(out, "Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
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
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') name = name.substr(1, name.size() - 2);
  return {std::string(name), std::string(text.substr(open + 1, text.size() - open - 2))};
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

std::string encode_header_text(std::string_view text) {
  auto line = single_line(text);
  if (is_ascii(line)) return line;
  // Encoded words of at most 75 characters: 45 bytes of input give 60 of
  // base64, plus 12 for "=?UTF-8?B?" and "?=". Words split only between
  // characters, as RFC 2047 §5 requires.
  std::string out;
  std::string_view rest = line;
  while (!rest.empty()) {
    std::size_t take = 0;
    while (take < rest.size()) {
      auto next = character_length(static_cast<unsigned char>(rest[take]));
      if (take + next > 45) break;
      take += next;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(rest.substr(0, take), false) + "?=";
    rest.remove_prefix(take);
  }
  return out;
}

std::string format_mailbox(const Mailbox& mailbox) {
  auto address = single_line(mailbox.address);
  auto name = single_line(mailbox.display_name);
  if (name.empty()) return address;
  if (!is_ascii(name)) return encode_header_text(name) + " <" + address + ">";
  // A quoted string keeps commas and other specials from splitting the name
  // into several addresses.
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\" <" + address + ">";
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
    if (literal && column == 0 && byte == 'F' && normalized.compare(i, 5, "From ") == 0) literal = false;
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
  append_header(out, "From", format_mailbox(message.from));
  append_header(out, "To", format_mailbox({"", message.to}));
  if (message.reply_to) append_header(out, "Reply-To", format_mailbox({"", *message.reply_to}));
  append_header(out, "Subject", encode_header_text(message.subject));
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
  append_header(out, "Content-Type", "multipart/mixed; boundary=\"" + mixed + "\"");
  out += crlf;
  out += "--" + mixed + std::string(crlf);
  append_alternative(out, message, alternative);
  for (const auto& attachment : message.attachments) {
    out += "--" + mixed + std::string(crlf);
    auto filename = single_line(attachment.filename);
    std::erase(filename, '"');
    append_header(out, "Content-Type", single_line(attachment.content_type) + "; name=\"" + filename + "\"");
    append_header(out, "Content-Disposition", "attachment; filename=\"" + filename + "\"");
    append_header(out, "Content-Transfer-Encoding", "base64");
    out += crlf;
    out += base64(attachment.content, true);
  }
  out += "--" + mixed + "--" + std::string(crlf);
  return out;
}

}  // namespace leadgate::mail
