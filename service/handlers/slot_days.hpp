#pragma once
// Free slots as leadgate's booking pages list them: grouped by the visitor's
// day ("Monday 14 December"), each a radio button of its local time. The
// pages work without scripts; embed.js renders the same markup from
// /v1/booking/slots.

#include <date/tz.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <span>

#include "domain/slots.hpp"

namespace leadgate::handlers {

// [{"day", "slots": [{"value" (UTC, RFC 3339), "time" ("09:30"), "id"}]}],
// leaving out `except` (a booking's own time on its reschedule page).
nlohmann::json slot_days(std::span<const domain::Slot> free, const date::time_zone* zone,
                         std::optional<date::sys_seconds> except = std::nullopt);

// Now, to the second, as slots and bookings count time.
inline date::sys_seconds now_seconds() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The visitor's today and the last of `count` days from it, in `zone`.
struct DayRange {
  date::year_month_day first;
  date::year_month_day last;
};
DayRange days_from_today(const date::time_zone* zone, date::sys_seconds now, int count);

}  // namespace leadgate::handlers
