#include "domain/slots.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdlib>

namespace leadgate::domain {

namespace {

using std::chrono::minutes;

date::local_days local_day(const date::time_zone* zone, date::sys_seconds t) {
  return date::floor<date::days>(zone->to_local(t));
}

// Confirmed meetings sorted by start, with the latest end among each prefix:
// the meetings that start before `limit` are a prefix, so "does any meeting
// come within the buffer of this slot" is one binary search.
class Calendar {
 public:
  Calendar(std::span<const Booked> booked, minutes buffer) : buffer_(buffer) {
    std::vector<Booked> sorted(booked.begin(), booked.end());
    std::sort(sorted.begin(), sorted.end(), [](const Booked& a, const Booked& b) { return a.start < b.start; });
    for (const auto& meeting : sorted) {
      starts_.push_back(meeting.start);
      latest_end_.push_back(latest_end_.empty() ? meeting.end : std::max(latest_end_.back(), meeting.end));
    }
  }

  // Free when every meeting b has slot.end + buffer <= b.start or
  // b.end + buffer <= slot.start.
  bool is_free(const Slot& slot) const {
    auto before = std::lower_bound(starts_.begin(), starts_.end(), slot.end + buffer_);
    if (before == starts_.begin()) return true;
    return latest_end_[static_cast<std::size_t>(before - starts_.begin()) - 1] + buffer_ <= slot.start;
  }

 private:
  minutes buffer_;
  std::vector<date::sys_seconds> starts_;
  std::vector<date::sys_seconds> latest_end_;
};

bool is_closed(const BookingRules& rules, date::local_days day) {
  date::year_month_day date{day};
  return std::find(rules.closed_dates.begin(), rules.closed_dates.end(), date) != rules.closed_dates.end();
}

// The end of an opening range as a real instant. A local time repeated by a
// fall-back counts its second pass, so the whole repeated hour is open; but
// 24:00 is where the next day first begins, or a day before a fall-back at
// 01:00 (Cuba) would reach into the next day's repeated hour.
date::sys_seconds range_end(const date::time_zone* zone, date::local_days day, int end_minute) {
  if (end_minute == 1440) return zone->to_sys(day + date::days{1}, date::choose::earliest);
  return zone->to_sys(day + minutes{end_minute}, date::choose::latest);
}

// Every slot the rules offer at `now` that is laid out for a business-zone day
// in [first_day, last_day], sorted by start, without duplicates. A local time
// skipped by spring-forward maps to the transition instant (date's
// choose::earliest does that), so ranges shrink and grow with the real day.
std::vector<Slot> offered(const BookingRules& rules, date::local_days first_day, date::local_days last_day,
                          date::sys_seconds now, std::span<const Booked> booked) {
  if (rules.zone == nullptr || rules.slot_length <= minutes{0} || rules.horizon_days < 0) return {};
  const date::sys_seconds earliest = now + rules.min_notice;
  const date::sys_seconds latest = now + date::days{rules.horizon_days};
  if (latest < earliest) return {};
  // No slot starts outside [earliest, latest], so a wide request costs no
  // more than the horizon. A day apart as margin: a slot's local date can
  // differ from the day it was laid out for around a transition at midnight.
  first_day = std::max(first_day, local_day(rules.zone, earliest) - date::days{1});
  last_day = std::min(last_day, local_day(rules.zone, latest) + date::days{1});
  const minutes buffer = std::max(rules.buffer, minutes{0});
  const Calendar calendar(booked, buffer);

  std::vector<Slot> slots;
  for (auto day = first_day; day <= last_day; day += date::days{1}) {
    for (const auto& range : rules.hours[date::weekday{day}.iso_encoding() - 1]) {
      if (range.begin_minute < 0 || range.end_minute > 1440 || range.begin_minute >= range.end_minute) continue;
      const auto begin = rules.zone->to_sys(day + minutes{range.begin_minute}, date::choose::earliest);
      const auto end = range_end(rules.zone, day, range.end_minute);
      // Step along real time, not the wall clock: a 23-hour day has fewer slots.
      for (auto start = begin; start + rules.slot_length <= end; start += rules.slot_length) {
        if (start < earliest || start > latest) continue;
        const Slot slot{start, start + rules.slot_length};
        if (is_closed(rules, local_day(rules.zone, start)) || !calendar.is_free(slot)) continue;
        slots.push_back(slot);
      }
    }
  }
  // Overlapping opening ranges lay the same slot twice; offer it once.
  std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) { return a.start < b.start; });
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return slots;
}

// `count` decimal digits at `at`, nothing else (no sign, no space).
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t count) {
  if (at + count > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

std::string two_digits(long value) {
  return {static_cast<char>('0' + value / 10), static_cast<char>('0' + value % 10)};
}

}  // namespace

std::vector<Slot> free_slots(const BookingRules& rules, date::year_month_day from, date::year_month_day to,
                             const date::time_zone* visitor_zone, date::sys_seconds now,
                             std::span<const Booked> booked) {
  if (rules.zone == nullptr || visitor_zone == nullptr || !from.ok() || !to.ok() || to < from) return {};
  const date::local_days first{from};
  const date::local_days last{to};
  // The visitor's dates as real instants, then as business days: works for
  // any pair of offsets, even ones more than a day apart (+14 vs -11).
  const auto window_begin = visitor_zone->to_sys(first, date::choose::earliest);
  const auto window_end = visitor_zone->to_sys(last + date::days{1}, date::choose::earliest);
  auto slots = offered(rules, local_day(rules.zone, window_begin) - date::days{1},
                       local_day(rules.zone, window_end) + date::days{1}, now, booked);
  std::erase_if(slots, [&](const Slot& slot) {
    const auto day = local_day(visitor_zone, slot.start);
    return day < first || day > last;
  });
  return slots;
}

bool is_offered(const BookingRules& rules, date::sys_seconds start, date::sys_seconds now,
                std::span<const Booked> booked) {
  if (rules.zone == nullptr) return false;
  const auto day = local_day(rules.zone, start);
  // The same generator as free_slots, so the two cannot disagree.
  const auto slots = offered(rules, day - date::days{1}, day + date::days{1}, now, booked);
  return std::binary_search(slots.begin(), slots.end(), Slot{start, start + rules.slot_length},
                            [](const Slot& a, const Slot& b) { return a.start < b.start; });
}

std::string rfc3339_utc(date::sys_seconds t) { return date::format("%FT%TZ", t); }

std::string rfc3339_local(date::sys_seconds t, const date::time_zone* zone) {
  // RFC 3339 offsets have no seconds, but local mean time before ~1900 does
  // (Berlin +00:53:28): whole minutes keep the text the same instant.
  const auto offset = date::floor<minutes>(zone->get_info(t).offset);
  std::string text = date::format("%FT%T", t + offset);
  const long total = offset.count();
  text += total < 0 ? '-' : '+';
  text += two_digits(std::labs(total) / 60);
  text += ':';
  text += two_digits(std::labs(total) % 60);
  return text;
}

std::optional<date::sys_seconds> parse_rfc3339(std::string_view text) {
  if (text.size() < 20) return std::nullopt;
  const auto day = parse_date(text.substr(0, 10));
  if (!day || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':') return std::nullopt;
  const auto hour = digits(text, 11, 2);
  const auto minute = digits(text, 14, 2);
  const auto second = digits(text, 17, 2);
  // No leap second: sys_time cannot hold one, and no slot starts at one.
  if (!hour || !minute || !second || *hour > 23 || *minute > 59 || *second > 59) return std::nullopt;
  std::size_t at = 19;
  if (at < text.size() && text[at] == '.') {
    const auto fraction_begin = ++at;
    while (at < text.size() && text[at] == '0') ++at;
    if (at == fraction_begin || (at < text.size() && text[at] >= '1' && text[at] <= '9')) return std::nullopt;
  }
  minutes offset{0};
  if (at + 1 == text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    // UTC
  } else if (at + 6 == text.size() && (text[at] == '+' || text[at] == '-') && text[at + 3] == ':') {
    const auto offset_hour = digits(text, at + 1, 2);
    const auto offset_minute = digits(text, at + 4, 2);
    if (!offset_hour || !offset_minute || *offset_hour > 23 || *offset_minute > 59) return std::nullopt;
    offset = std::chrono::hours{*offset_hour} + minutes{*offset_minute};
    if (text[at] == '-') offset = -offset;
  } else {
    return std::nullopt;
  }
  auto instant = date::sys_days{*day} + std::chrono::hours{*hour} + minutes{*minute} + std::chrono::seconds{*second} -
                 offset;
  // Only instants that format back into four-digit years, with room for a
  // meeting after them and for any zone's offset (found by fuzzing:
  // 9999-12-31T23:59:59-00:01 is year 10000 in UTC).
  static const auto earliest = date::sys_days{date::year{1} / 1 / 2};
  static const auto latest = date::sys_days{date::year{9999} / 12 / 30};
  if (instant < earliest || instant >= latest) return std::nullopt;
  return instant;
}

std::optional<date::year_month_day> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const auto year = digits(text, 0, 4);
  const auto month = digits(text, 5, 2);
  const auto day = digits(text, 8, 2);
  // Year 0 does not exist for PostgreSQL (a 22008 there): refused here.
  if (!year || !month || !day || *year < 1) return std::nullopt;
  const date::year_month_day date{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                                  date::day{static_cast<unsigned>(*day)}};
  if (!date.ok()) return std::nullopt;
  return date;
}

}  // namespace leadgate::domain
