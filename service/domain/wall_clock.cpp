#include "domain/wall_clock.hpp"

#include <algorithm>

#include "domain/slots.hpp"

namespace leadgate::domain {

namespace {

// A timestamp to the second: parse_rfc3339 takes no fraction but zeros, and
// the admin page shows minutes, so a fraction of digits is dropped first.
std::optional<date::sys_seconds> to_the_second(std::string_view timestamp) {
  constexpr std::size_t seconds_end = 19;  // "YYYY-MM-DDTHH:MM:SS"
  auto offset_at = timestamp.find_first_of("Zz+-", seconds_end);
  if (offset_at == std::string_view::npos) return std::nullopt;
  auto fraction = timestamp.substr(seconds_end, offset_at - seconds_end);
  if (!fraction.empty() && (fraction.size() < 2 || fraction.front() != '.' ||
                            !std::all_of(fraction.begin() + 1, fraction.end(), [](char c) { return c >= '0' && c <= '9'; }))) {
    return std::nullopt;
  }
  return parse_rfc3339(std::string(timestamp.substr(0, seconds_end)).append(timestamp.substr(offset_at)));
}

}  // namespace

std::string minute_in_zone(std::string_view timestamp, const date::time_zone& zone) {
  auto instant = to_the_second(timestamp);
  if (!instant) return std::string(timestamp);
  return date::format("%Y-%m-%d %H:%M", date::make_zoned(&zone, *instant));
}

std::optional<date::local_seconds> parse_datetime_local(std::string_view text) {
  // The same digits and ranges as RFC 3339's date and time, read as if UTC,
  // then taken as a wall clock: no second parser to keep in step.
  constexpr std::size_t minutes_only = 16, with_seconds = 19;
  if (text.size() != minutes_only && text.size() != with_seconds) return std::nullopt;
  auto as_utc = parse_rfc3339(std::string(text) + (text.size() == minutes_only ? ":00Z" : "Z"));
  if (!as_utc) return std::nullopt;
  return date::local_seconds{as_utc->time_since_epoch()};
}

std::optional<date::sys_seconds> unique_instant(date::local_seconds local, const date::time_zone& zone) {
  auto info = zone.get_info(local);
  if (info.result != date::local_info::unique) return std::nullopt;
  return date::sys_seconds{local.time_since_epoch()} - info.first.offset;
}

}  // namespace leadgate::domain
