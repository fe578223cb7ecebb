#pragma once
// Busy time from iCalendar text (RFC 5545), read and expanded with libical:
// what a host's calendar says they cannot be booked for.

#include <date/tz.h>

#include <chrono>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
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
// start and merged where they overlap or touch. An interval keeps its real
// ends: one that starts before the window or ends after it is not cut.
// - Every VEVENT is busy unless TRANSP:TRANSPARENT or STATUS:CANCELLED
//   (TENTATIVE is busy).
// - Recurring events are expanded (RRULE, RDATE, EXDATE) in their own TZID;
//   an instance overridden by a VEVENT with the same UID and a RECURRENCE-ID
//   (matched as an instant, whatever zone each is written in) is replaced by
//   that override (which may move it, or cancel it). DTSTART is always an
//   instance. Not applied: EXRULE (deprecated; ignoring it only adds busy
//   time) and RANGE=THISANDFUTURE (the override replaces its one instance).
// - A TZID names the VCALENDAR's own VTIMEZONE of that name, else a zone of
//   the system's tzdata (libical's built-in zones); one that is neither
//   (or that contains "..") is read in `business_zone`, like a floating time.
// - A date-only (all-day) event blocks whole days in `business_zone`; a
//   floating time (no zone) is read in `business_zone`.
// - An event with neither DTEND nor DURATION lasts until the end of its
//   day if it is all-day, else takes no time (RFC 5545 §3.6.1).
// - The work is bounded, and what is not expanded counts as busy (fail
//   closed). An RRULE gives at most 10,000 instances, counted from where
//   its expansion starts (the window; DTSTART for COUNT rules and for
//   HOURLY, MINUTELY and SECONDLY ones); from the 10,001st on, the event is
//   busy for the rest of the window (up to its UNTIL). An RRULE whose
//   expansion spans more than 200,000 periods of its frequency (SECONDLY
//   over 2.3 days, MINUTELY over 4.6 months, HOURLY over 22 years) is not
//   expanded at all: busy from DTSTART to the end of the window (or its
//   UNTIL). libical itself still spends up to about a second on a MONTHLY
//   or YEARLY rule that never matches (30 February).
// - `skip` (when given) names UIDs whose events (masters and overrides) are
//   not busy time: the sync skips leadgate's own meetings, which a host's
//   calendar holds when it is also their write_to; the bookings table
//   already blocks those times.
// Throws Unreadable for text that is not one VCALENDAR (including a text
// cut short before END:VCALENDAR), and for a VEVENT whose times cannot be
// read: no DTSTART, a DTSTART, DTEND, DURATION, RRULE or RDATE that libical
// could not parse, a date that does not exist, an RRULE libical refuses.
std::vector<Interval> busy_intervals(std::span<const std::string> calendars, Window window,
                                     const date::time_zone& business_zone,
                                     const std::function<bool(std::string_view uid)>& skip = {});

}  // namespace leadgate::calendar
