#pragma once
// Times as people read and type them: the wall clock of a time zone, to the
// minute. The admin page shows times in booking.timezone (or UTC) and reads
// a browser's datetime-local field in the zone it showed; DST is the zone
// database's business, never a fixed offset.

#include <date/tz.h>

#include <optional>
#include <string>
#include <string_view>

namespace leadgate::domain {

// "2026-11-29 16:37": a timestamp as PostgreSQL's to_jsonb writes one
// ("2026-11-29T15:37:41.123456+00:00"), or RFC 3339 with Z, to the minute
// in `zone`; the text as it is when it has neither shape.
std::string minute_in_zone(std::string_view timestamp, const date::time_zone& zone);

// A datetime-local field's value, "YYYY-MM-DDTHH:MM" (":SS" may follow), as
// a wall-clock time; nothing for any other text or a day that does not exist.
std::optional<date::local_seconds> parse_datetime_local(std::string_view text);

// The one instant `local` names in `zone`. Nothing when a clock change
// skips it (spring forward) or shows it twice (fall back): which meeting
// time was meant is then a guess.
std::optional<date::sys_seconds> unique_instant(date::local_seconds local, const date::time_zone& zone);

}  // namespace leadgate::domain
