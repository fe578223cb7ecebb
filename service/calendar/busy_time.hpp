#pragma once
// Busy time from iCalendar text (RFC 5545), read and expanded with libical:
// what a host's calendar says they cannot be booked for.

#include <date/tz.h>

#include <chrono>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace leadgate::calendar {

using Seconds = std::chrono::sys_seconds;

// [start, end): a time the host is busy.
struct Interval {
  Seconds start;
  Seconds end;
  friend bool operator==(const Interval&, const Interval&) = default;
};

// The part of time a sync looks at (now to the booking horizon, padded).
struct Window {
  Seconds from;
  Seconds to;
};

// A calendar's text that is not iCalendar, or that libical cannot read: the
// sync fails (and the host offers nothing until a sync succeeds) instead of
// reading garbage as "free".
class Unreadable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The busy intervals of `calendars` (each a VCALENDAR text: a feed is one,
// a CalDAV REPORT answers one per event) that overlap `window`, sorted by
// start and merged where they overlap or touch.
// - Every VEVENT is busy unless TRANSP:TRANSPARENT or STATUS:CANCELLED.
// - Recurring events are expanded (RRULE, RDATE, EXDATE) in their own TZID;
//   an instance overridden by a VEVENT with the same UID and a RECURRENCE-ID
//   is replaced by that override (which may move it, or cancel it).
// - A date-only (all-day) event blocks whole days in `business_zone`; a
//   floating time (no zone) is read in `business_zone`.
// - An event with neither DTEND nor DURATION lasts until the end of its
//   day if it is all-day, else takes no time (RFC 5545 §3.6.1).
// Throws Unreadable for text that is not a VCALENDAR.
std::vector<Interval> busy_intervals(std::span<const std::string> calendars, Window window,
                                     const date::time_zone& business_zone);

}  // namespace leadgate::calendar
