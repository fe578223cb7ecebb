#pragma once
// Calendar invitations (RFC 5545) for consultation bookings: a REQUEST when
// booked, a CANCEL of the same UID with a higher SEQUENCE when cancelled, so
// calendars update the event they already hold.

#include <date/date.h>

#include <string>

namespace leadgate::domain {

struct Invitation {
  // request and cancel are e-mailed (iTIP); none is the event as it is
  // stored in a calendar collection.
  enum class Method { request, cancel, none } method = Method::request;
  std::string uid;  // stable per booking, e.g. "<booking id>@example.com"
  int sequence = 0;
  date::sys_seconds start;
  date::sys_seconds end;
  date::sys_seconds stamp;  // when this version was made
  std::string summary;
  std::string description;
  std::string organizer_name;
  std::string organizer_email;
  std::string attendee_name;
  std::string attendee_email;
  std::string meeting_url;  // LOCATION and URL, when the meeting has one
};

// The whole VCALENDAR, CRLF line ends, long lines folded at 75 octets, text
// escaped; times in UTC.
std::string to_ics(const Invitation& invitation);

// "text/calendar; method=REQUEST; charset=UTF-8" (or CANCEL).
std::string ics_content_type(Invitation::Method method);

}  // namespace leadgate::domain
