#include "domain/ics.hpp"

#include <vector>

namespace leadgate::domain {

namespace {

// RFC 5545 §3.3.11: backslash, semicolon, comma and newlines are escaped.
std::string escape_text(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      default: out += c;
    }
  }
  return out;
}

// A parameter value (CN=…) is quoted; quotes and line breaks cannot appear.
std::string parameter_value(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c != '"' && c != '\r' && c != '\n') out += c;
  }
  return out + "\"";
}

std::string utc(date::sys_seconds t) { return date::format("%Y%m%dT%H%M%SZ", t); }

// RFC 5545 §3.1: lines of at most 75 octets, continued with CRLF and a space,
// never splitting a UTF-8 character.
void append_line(std::string& out, std::string_view line) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < line.size();) {
    std::size_t length = 1;
    auto lead = static_cast<unsigned char>(line[i]);
    if (lead >= 0xF0) length = 4;
    else if (lead >= 0xE0) length = 3;
    else if (lead >= 0xC0) length = 2;
    length = std::min(length, line.size() - i);
    if (width + length > 75) {
      out += "\r\n ";
      width = 1;
    }
    out.append(line.substr(i, length));
    width += length;
    i += length;
  }
  out += "\r\n";
}

}  // namespace

std::string ics_content_type(Invitation::Method method) {
  return std::string("text/calendar; method=") + (method == Invitation::Method::cancel ? "CANCEL" : "REQUEST") +
         "; charset=UTF-8";
}

std::string to_ics(const Invitation& invitation) {
  bool cancel = invitation.method == Invitation::Method::cancel;
  std::vector<std::string> lines = {"BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//leadgate//consultations//EN",
                                    "CALSCALE:GREGORIAN"};
  // A resource in a calendar collection carries no METHOD (RFC 4791 §4.1).
  if (invitation.method != Invitation::Method::none) lines.push_back(std::string("METHOD:") + (cancel ? "CANCEL" : "REQUEST"));
  lines.insert(lines.end(), {"BEGIN:VEVENT", "UID:" + invitation.uid, "SEQUENCE:" + std::to_string(invitation.sequence),
                             "DTSTAMP:" + utc(invitation.stamp), "DTSTART:" + utc(invitation.start),
                             "DTEND:" + utc(invitation.end), "SUMMARY:" + escape_text(invitation.summary),
                             "DESCRIPTION:" + escape_text(invitation.description)});
  if (!invitation.meeting_url.empty()) {
    lines.push_back("LOCATION:" + escape_text(invitation.meeting_url));
    lines.push_back("URL:" + invitation.meeting_url);
  }
  lines.insert(lines.end(),
               {"ORGANIZER;CN=" + parameter_value(invitation.organizer_name) + ":mailto:" + invitation.organizer_email,
                "ATTENDEE;CN=" + parameter_value(invitation.attendee_name) +
                    ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:" + invitation.attendee_email,
                std::string("STATUS:") + (cancel ? "CANCELLED" : "CONFIRMED"), "TRANSP:OPAQUE", "END:VEVENT",
                "END:VCALENDAR"});
  std::string out;
  for (const auto& line : lines) append_line(out, line);
  return out;
}

}  // namespace leadgate::domain
