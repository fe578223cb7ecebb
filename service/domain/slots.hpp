#pragma once
// Consultation slots (GET /v1/booking/slots, the booking.* keys; see
// docs/api-behaviour.md, "Slots"):
// which meeting times to offer, worked out in real (UTC) time from opening
// hours kept in the business's own zone, so DST days come out right.

#include <date/tz.h>

#include <array>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace leadgate::domain {

// Opening hours of one day: minutes after local midnight, end exclusive.
// 0 <= begin_minute < end_minute <= 1440; any other range offers nothing.
struct OpeningRange {
  int begin_minute;
  int end_minute;
};

struct BookingRules {
  const date::time_zone* zone = nullptr;             // the business time zone
  std::array<std::vector<OpeningRange>, 7> hours;    // Monday first (ISO), in `zone`
  std::chrono::minutes slot_length{30};
  std::chrono::minutes buffer{0};                    // free time required between meetings
  std::chrono::hours min_notice{24};
  int horizon_days = 60;                             // no slot starting later than now + horizon
  std::vector<date::year_month_day> closed_dates;    // dates in `zone` with no slots
};

struct Slot {
  date::sys_seconds start;
  date::sys_seconds end;
  friend bool operator==(const Slot&, const Slot&) = default;
};

// A confirmed meeting; it blocks its own time plus `buffer` on each side.
struct Booked {
  date::sys_seconds start;
  date::sys_seconds end;
};

// Free slots whose start, seen in `visitor_zone`, falls on a date in
// [from, to] (inclusive), sorted by start, without duplicates. Empty when a
// zone is null, a date is invalid or from > to.
std::vector<Slot> free_slots(const BookingRules& rules, date::year_month_day from, date::year_month_day to,
                             const date::time_zone* visitor_zone, date::sys_seconds now,
                             std::span<const Booked> booked);

// True when `start` is exactly the start of a slot free_slots would offer at
// `now` (whatever the visitor's zone): the check a booking must pass.
bool is_offered(const BookingRules& rules, date::sys_seconds start, date::sys_seconds now,
                std::span<const Booked> booked);

// "2026-03-29T08:00:00Z".
std::string rfc3339_utc(date::sys_seconds t);

// "2026-03-29T10:00:00+02:00": the wall clock in `zone` (not null) with its
// offset.
std::string rfc3339_local(date::sys_seconds t, const date::time_zone* zone);

// "YYYY-MM-DDTHH:MM:SS" then "Z" or "±HH:MM" ('t' and 'z' also accepted).
// Seconds are required; a fraction is accepted only if it is all zeros,
// because a non-zero one names an instant no slot can start at. Instants
// before 0001-01-02 or after 9999-12-29 (UTC) are refused: they would not
// format back into RFC 3339 everywhere.
std::optional<date::sys_seconds> parse_rfc3339(std::string_view text);

// "YYYY-MM-DD", and only dates that exist (no 2026-02-30).
std::optional<date::year_month_day> parse_date(std::string_view text);

}  // namespace leadgate::domain
