#pragma once
// Composing an Internet message (RFC 5322 + MIME) that every mail client
// reads the same way: UTF-8 everywhere, RFC 2047 encoded words for non-ASCII
// header text, quoted-printable bodies, CRLF line ends. Nothing a visitor
// typed can add a header: every header value has CR and LF removed.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadgate::mail {

struct Mailbox {
  std::string display_name;  // may be empty
  std::string address;
};

// "Studio <hello@example.com>" or "hello@example.com".
Mailbox parse_mailbox(std::string_view text);

struct Attachment {
  std::string filename;
  std::string content_type;  // e.g. "text/calendar; method=REQUEST; charset=UTF-8"
  std::string content;
};

struct Message {
  Mailbox from;
  std::string to;  // an address; never the visitor's name, which is their input
  std::vector<std::string> cc;  // addresses copied, e.g. the sales inbox on an owner's notification
  std::optional<std::string> reply_to;
  std::string subject;
  std::string text;
  std::string html;
  std::string message_id;  // without angle brackets, e.g. "0190…@example.com"
  std::chrono::system_clock::time_point date;
  std::vector<std::pair<std::string, std::string>> extra_headers;  // e.g. List-Unsubscribe
  std::vector<Attachment> attachments;
};

// The whole message, headers and body, with CRLF line ends.
std::string compose(const Message& message);

// Header text folded into lines of at most 76 characters; `used` is what the
// first line already holds (e.g. 9 for "Subject: "). Non-ASCII text (and
// ASCII that looks like an encoded word) becomes "=?UTF-8?B?…?=" words.
std::string encode_header_text(std::string_view text, std::size_t used = 0);

// A display name and address for From/To/Reply-To headers.
std::string format_mailbox(const Mailbox& mailbox, std::size_t used = 0);

std::string quoted_printable(std::string_view text);
std::string base64(std::string_view data, bool wrap_lines);

// "Sun, 29 Nov 2026 14:40:44 +0000".
std::string rfc5322_date(std::chrono::system_clock::time_point time);

}  // namespace leadgate::mail
