// domain::to_ics: calendar invitations per RFC 5545.

#include "domain/ics.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

namespace {

using leadgate::domain::Invitation;
using leadgate::domain::to_ics;

Invitation sample() {
  Invitation invite;
  invite.uid = "0190-abc@studio.example";
  invite.sequence = 0;
  invite.start = date::sys_days{date::year{2026} / 3 / 29} + std::chrono::hours{8};
  invite.end = invite.start + std::chrono::minutes{30};
  invite.stamp = date::sys_days{date::year{2026} / 3 / 1} + std::chrono::hours{12};
  invite.summary = "Consultation with Studio";
  invite.description = "Cancel here: https://studio.example/v1/booking/cancel?token=abc";
  invite.organizer_name = "Studio";
  invite.organizer_email = "hello@studio.example";
  invite.attendee_name = "Zoë";
  invite.attendee_email = "zoe@example.com";
  return invite;
}

std::vector<std::string> lines(const std::string& ics) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto end = ics.find("\r\n"); end != std::string::npos; end = ics.find("\r\n", start)) {
    out.push_back(ics.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

// Folded lines joined again, as a calendar reads them.
std::string unfolded(const std::string& ics) {
  std::string out;
  for (const auto& line : lines(ics)) {
    if (!line.empty() && line.front() == ' ') {
      out += line.substr(1);
    } else {
      if (!out.empty()) out += '\n';
      out += line;
    }
  }
  return out;
}

}  // namespace

TEST(ics, a_request_has_the_event_in_utc) {
  auto text = unfolded(to_ics(sample()));
  for (const char* expected : {"METHOD:REQUEST", "UID:0190-abc@studio.example", "SEQUENCE:0", "DTSTART:20260329T080000Z",
                               "DTEND:20260329T083000Z", "DTSTAMP:20260301T120000Z", "STATUS:CONFIRMED",
                               "ORGANIZER;CN=\"Studio\":mailto:hello@studio.example"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  }
}

TEST(ics, a_cancel_keeps_the_uid_and_says_cancelled) {
  auto invite = sample();
  invite.method = Invitation::Method::cancel;
  invite.sequence = 1;
  auto text = unfolded(to_ics(invite));
  EXPECT_NE(text.find("METHOD:CANCEL"), std::string::npos);
  EXPECT_NE(text.find("STATUS:CANCELLED"), std::string::npos);
  EXPECT_NE(text.find("SEQUENCE:1"), std::string::npos);
  EXPECT_NE(text.find("UID:0190-abc@studio.example"), std::string::npos);
  EXPECT_EQ(leadgate::domain::ics_content_type(Invitation::Method::cancel), "text/calendar; method=CANCEL; charset=UTF-8");
}

TEST(ics, lines_are_crlf_and_folded_within_75_octets_without_splitting_characters) {
  auto invite = sample();
  for (int i = 0; i < 60; ++i) invite.description += "Zo\xC3\xAB ";
  auto ics = to_ics(invite);
  EXPECT_EQ(ics.find("\n"), ics.find("\r\n") + 1);
  for (const auto& line : lines(ics)) {
    EXPECT_LE(line.size(), 75u) << line;
    if (!line.empty()) {
      EXPECT_NE(static_cast<unsigned char>(line.back()) & 0xC0, 0xC0u) << "a character was split";
    }
  }
}

TEST(ics, text_is_escaped_and_parameters_cannot_break_out) {
  auto invite = sample();
  invite.summary = "A; B, C\\D\nE";
  invite.attendee_name = "Eve\";ROLE=CHAIR\r\nX-EVIL:1";
  auto text = unfolded(to_ics(invite));
  EXPECT_NE(text.find("SUMMARY:A\\; B\\, C\\\\D\\nE"), std::string::npos) << text;
  EXPECT_NE(text.find("ATTENDEE;CN=\"Eve;ROLE=CHAIRX-EVIL:1\";ROLE=REQ-PARTICIPANT"), std::string::npos) << text;
  EXPECT_EQ(text.find("\nX-EVIL"), std::string::npos);
}
