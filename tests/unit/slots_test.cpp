// domain::free_slots, is_offered and the RFC 3339 / date helpers behind
// GET /v1/booking/slots and the consultation form (docs/api-behaviour.md,
// "Slots"; the booking.* keys).
// Expected instants are written out by hand from the published DST rules,
// never computed with the code under test.

#include "domain/slots.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace {

using leadgate::domain::Booked;
using leadgate::domain::BookingRules;
using leadgate::domain::free_slots;
using leadgate::domain::is_offered;
using leadgate::domain::OpeningRange;
using leadgate::domain::parse_date;
using leadgate::domain::parse_rfc3339;
using leadgate::domain::rfc3339_local;
using leadgate::domain::rfc3339_utc;
using leadgate::domain::Slot;
using std::chrono::hours;
using std::chrono::minutes;

const date::time_zone* zone(std::string_view name) { return date::locate_zone(name); }

// "2026-01-12T08:00:00Z", read by sscanf rather than the parser under test.
// (date::parse trips -Wmaybe-uninitialized inside date.h at -O2.)
date::sys_seconds utc(const std::string& text) {
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char z = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%uT%u:%u:%u%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 || z != 'Z') {
    ADD_FAILURE() << "bad test instant " << text;
  }
  return date::sys_days{date::year{y} / date::month{mo} / date::day{d}} + hours{h} + minutes{mi} +
         std::chrono::seconds{s};
}

date::year_month_day ymd(int y, unsigned m, unsigned d) {
  return date::year_month_day{date::year{y}, date::month{m}, date::day{d}};
}

// The built-in booking defaults: Europe/Berlin, Monday to Friday
// 09:00-17:00, 30 minutes.
BookingRules berlin_office() {
  BookingRules rules;
  rules.zone = zone("Europe/Berlin");
  for (int weekday = 0; weekday < 5; ++weekday) rules.hours[weekday] = {{540, 1020}};
  return rules;
}

// The same opening range on all seven days, so DST Sundays have hours.
BookingRules every_day(std::string_view zone_name, OpeningRange range) {
  BookingRules rules;
  rules.zone = zone(zone_name);
  for (auto& day : rules.hours) day = {range};
  return rules;
}

std::vector<std::string> starts(const std::vector<Slot>& slots) {
  std::vector<std::string> text;
  for (const auto& slot : slots) text.push_back(date::format("%FT%TZ", slot.start));
  return text;
}

std::vector<std::string> local_starts(const std::vector<Slot>& slots, std::string_view zone_name) {
  std::vector<std::string> text;
  for (const auto& slot : slots) text.push_back(rfc3339_local(slot.start, zone(zone_name)));
  return text;
}

// `count` consecutive half hours from `first`, as UTC text.
std::vector<std::string> half_hours(const std::string& first, int count) {
  std::vector<std::string> text;
  for (int i = 0; i < count; ++i) text.push_back(date::format("%FT%TZ", utc(first) + minutes{30 * i}));
  return text;
}

// The slots of business-zone date `day`, seen from the business zone.
std::vector<Slot> day_slots(const BookingRules& rules, date::year_month_day day, date::sys_seconds now,
                            std::span<const Booked> booked = {}) {
  return free_slots(rules, day, day, rules.zone, now, booked);
}

const date::sys_seconds early_january = utc("2026-01-05T00:00:00Z");
const date::year_month_day monday = ymd(2026, 1, 12);

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

// --- ordinary days -----------------------------------------------------------

TEST(slots, a_winter_monday_offers_sixteen_half_hours_at_cet) {
  auto slots = day_slots(berlin_office(), monday, early_january);
  EXPECT_EQ(starts(slots), half_hours("2026-01-12T08:00:00Z", 16));
  ASSERT_EQ(slots.size(), 16u);
  EXPECT_EQ(rfc3339_utc(slots.back().end), "2026-01-12T16:00:00Z");
  EXPECT_EQ(local_starts(slots, "Europe/Berlin").front(), "2026-01-12T09:00:00+01:00");
  EXPECT_EQ(local_starts(slots, "Europe/Berlin").back(), "2026-01-12T16:30:00+01:00");
  for (const auto& slot : slots) EXPECT_EQ(slot.end - slot.start, minutes{30});
}

TEST(slots, a_summer_monday_offers_the_same_wall_clock_hours_at_cest) {
  auto slots = day_slots(berlin_office(), ymd(2026, 6, 15), utc("2026-06-01T00:00:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2026-06-15T07:00:00Z", 16));
  EXPECT_EQ(local_starts(slots, "Europe/Berlin").front(), "2026-06-15T09:00:00+02:00");
}

TEST(slots, a_weekend_without_hours_offers_nothing) {
  auto rules = berlin_office();
  EXPECT_TRUE(free_slots(rules, ymd(2026, 1, 10), ymd(2026, 1, 11), rules.zone, early_january, {}).empty());
  EXPECT_EQ(day_slots(rules, ymd(2026, 1, 9), early_january).size(), 16u);  // the Friday before does
}

TEST(slots, a_range_of_days_is_inclusive_sorted_and_complete) {
  auto rules = berlin_office();
  auto slots = free_slots(rules, monday, ymd(2026, 1, 16), rules.zone, early_january, {});
  ASSERT_EQ(slots.size(), 80u);
  EXPECT_EQ(rfc3339_utc(slots.front().start), "2026-01-12T08:00:00Z");
  EXPECT_EQ(rfc3339_utc(slots.back().start), "2026-01-16T15:30:00Z");
  for (std::size_t i = 1; i < slots.size(); ++i) EXPECT_LT(slots[i - 1].start, slots[i].start);
}

TEST(slots, a_reversed_or_impossible_date_range_offers_nothing) {
  auto rules = berlin_office();
  EXPECT_TRUE(free_slots(rules, ymd(2026, 1, 13), monday, rules.zone, early_january, {}).empty());
  EXPECT_TRUE(free_slots(rules, monday, ymd(2026, 2, 30), rules.zone, early_january, {}).empty());
  EXPECT_TRUE(free_slots(rules, monday, monday, nullptr, early_january, {}).empty());
}

TEST(slots, a_slot_never_runs_past_closing_time) {
  auto rules = berlin_office();
  rules.slot_length = minutes{45};
  auto slots = day_slots(rules, monday, early_january);
  ASSERT_EQ(slots.size(), 10u);  // 8 hours hold ten 45-minute slots, not eleven
  EXPECT_EQ(rfc3339_utc(slots.back().start), "2026-01-12T14:45:00Z");
  EXPECT_EQ(rfc3339_utc(slots.back().end), "2026-01-12T15:30:00Z");
  rules.hours[0] = {{540, 600}};
  EXPECT_EQ(starts(day_slots(rules, monday, early_january)), std::vector<std::string>{"2026-01-12T08:00:00Z"});
}

TEST(slots, overlapping_opening_ranges_offer_each_slot_once_in_time_order) {
  auto rules = berlin_office();
  rules.hours[0] = {{840, 900}, {540, 720}, {660, 780}};  // 14-15, 09-12, 11-13
  auto expected = half_hours("2026-01-12T08:00:00Z", 8);
  expected.push_back("2026-01-12T13:00:00Z");
  expected.push_back("2026-01-12T13:30:00Z");
  EXPECT_EQ(starts(day_slots(rules, monday, early_january)), expected);
}

TEST(slots, an_opening_range_that_runs_to_midnight_offers_its_last_slot) {
  auto rules = berlin_office();
  rules.hours[0] = {{1380, 1440}};
  EXPECT_EQ(starts(day_slots(rules, monday, early_january)), half_hours("2026-01-12T22:00:00Z", 2));
}

TEST(slots, a_non_positive_slot_length_or_malformed_range_offers_nothing) {
  auto rules = berlin_office();
  rules.slot_length = minutes{0};
  EXPECT_TRUE(day_slots(rules, monday, early_january).empty());
  rules = berlin_office();
  rules.hours[0] = {{600, 540}, {-30, 30}, {1410, 1470}};
  EXPECT_TRUE(day_slots(rules, monday, early_january).empty());
}

// --- DST days in the business zone -------------------------------------------

TEST(slots, berlin_spring_forward_offers_two_real_hours_for_01_to_04) {
  auto rules = every_day("Europe/Berlin", {60, 240});
  auto slots = day_slots(rules, ymd(2026, 3, 29), utc("2026-03-20T00:00:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2026-03-29T00:00:00Z", 4));
  EXPECT_EQ(local_starts(slots, "Europe/Berlin"),
            (std::vector<std::string>{"2026-03-29T01:00:00+01:00", "2026-03-29T01:30:00+01:00",
                                      "2026-03-29T03:00:00+02:00", "2026-03-29T03:30:00+02:00"}));
  // An ordinary day has six.
  EXPECT_EQ(day_slots(rules, ymd(2026, 3, 28), utc("2026-03-20T00:00:00Z")).size(), 6u);
}

TEST(slots, berlin_fall_back_offers_four_real_hours_for_01_to_04_with_02_twice) {
  auto rules = every_day("Europe/Berlin", {60, 240});
  auto slots = day_slots(rules, ymd(2026, 10, 25), utc("2026-10-15T00:00:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2026-10-24T23:00:00Z", 8));
  EXPECT_EQ(local_starts(slots, "Europe/Berlin"),
            (std::vector<std::string>{"2026-10-25T01:00:00+02:00", "2026-10-25T01:30:00+02:00",
                                      "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00",
                                      "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00",
                                      "2026-10-25T03:00:00+01:00", "2026-10-25T03:30:00+01:00"}));
}

TEST(slots, a_range_wholly_inside_the_skipped_hour_offers_nothing) {
  auto rules = every_day("Europe/Berlin", {120, 180});
  EXPECT_TRUE(day_slots(rules, ymd(2026, 3, 29), utc("2026-03-20T00:00:00Z")).empty());
  EXPECT_EQ(day_slots(rules, ymd(2026, 3, 28), utc("2026-03-20T00:00:00Z")).size(), 2u);
}

TEST(slots, a_range_wholly_inside_the_repeated_hour_covers_both_passes) {
  auto rules = every_day("Europe/Berlin", {120, 180});
  auto slots = day_slots(rules, ymd(2026, 10, 25), utc("2026-10-15T00:00:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2026-10-25T00:00:00Z", 4));
  EXPECT_EQ(local_starts(slots, "Europe/Berlin"),
            (std::vector<std::string>{"2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00",
                                      "2026-10-25T02:00:00+01:00", "2026-10-25T02:30:00+01:00"}));
}

TEST(slots, an_end_inside_the_repeated_hour_means_its_second_pass) {
  auto rules = every_day("Europe/Berlin", {0, 150});  // 00:00-02:30: 3.5 real hours that night
  auto slots = day_slots(rules, ymd(2026, 10, 25), utc("2026-10-15T00:00:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2026-10-24T22:00:00Z", 7));
  EXPECT_EQ(rfc3339_local(slots.back().start, rules.zone), "2026-10-25T02:00:00+01:00");
}

TEST(slots, new_york_spring_forward_offers_two_real_hours_for_01_to_04) {
  auto rules = every_day("America/New_York", {60, 240});
  auto slots = day_slots(rules, ymd(2026, 3, 8), utc("2026-03-01T00:00:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2026-03-08T06:00:00Z", 4));
  EXPECT_EQ(local_starts(slots, "America/New_York"),
            (std::vector<std::string>{"2026-03-08T01:00:00-05:00", "2026-03-08T01:30:00-05:00",
                                      "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00"}));
}

TEST(slots, new_york_fall_back_offers_four_real_hours_for_01_to_04_with_01_twice) {
  auto rules = every_day("America/New_York", {60, 240});
  auto slots = day_slots(rules, ymd(2026, 11, 1), utc("2026-10-20T00:00:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2026-11-01T05:00:00Z", 8));
  EXPECT_EQ(local_starts(slots, "America/New_York"),
            (std::vector<std::string>{"2026-11-01T01:00:00-04:00", "2026-11-01T01:30:00-04:00",
                                      "2026-11-01T01:00:00-05:00", "2026-11-01T01:30:00-05:00",
                                      "2026-11-01T02:00:00-05:00", "2026-11-01T02:30:00-05:00",
                                      "2026-11-01T03:00:00-05:00", "2026-11-01T03:30:00-05:00"}));
}

// Havana's transitions happen at midnight. They are past ones on purpose:
// tz data releases change future rules (2026f dropped Cuba's 2026 DST), and
// a test must not break when a machine's tzdata is newer than the author's.
TEST(slots, a_range_to_midnight_ends_where_the_next_day_first_begins) {
  // Havana fell back from 01:00 CDT to 00:00 CST on 2025-11-02, so Sunday's
  // midnight happened twice; Saturday's 23:00-24:00 must stop at the first.
  BookingRules rules;
  rules.zone = zone("America/Havana");
  rules.hours[5] = {{1380, 1440}};  // Saturday only
  auto now = utc("2025-10-20T00:00:00Z");
  auto saturday = day_slots(rules, ymd(2025, 11, 1), now);
  EXPECT_EQ(starts(saturday), half_hours("2025-11-02T03:00:00Z", 2));
  EXPECT_TRUE(day_slots(rules, ymd(2025, 11, 2), now).empty());
  EXPECT_EQ(starts(free_slots(rules, ymd(2025, 11, 2), ymd(2025, 11, 2), zone("Etc/UTC"), now, {})),
            half_hours("2025-11-02T03:00:00Z", 2));
}

TEST(slots, the_repeated_hour_after_midnight_belongs_to_the_new_day) {
  BookingRules rules;
  rules.zone = zone("America/Havana");
  rules.hours[6] = {{0, 60}};  // Sunday 00:00-01:00: two real hours on 2025-11-02
  auto slots = day_slots(rules, ymd(2025, 11, 2), utc("2025-10-20T00:00:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2025-11-02T04:00:00Z", 4));
  EXPECT_EQ(local_starts(slots, "America/Havana"),
            (std::vector<std::string>{"2025-11-02T00:00:00-04:00", "2025-11-02T00:30:00-04:00",
                                      "2025-11-02T00:00:00-05:00", "2025-11-02T00:30:00-05:00"}));
}

TEST(slots, a_day_whose_midnight_never_happens_opens_at_the_transition) {
  // Havana sprang from 00:00 CST to 01:00 CDT on 2025-03-09.
  BookingRules rules;
  rules.zone = zone("America/Havana");
  rules.hours[6] = {{0, 120}};
  auto slots = day_slots(rules, ymd(2025, 3, 9), utc("2025-03-01T00:00:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2025-03-09T05:00:00Z", 2));
  EXPECT_EQ(local_starts(slots, "America/Havana"),
            (std::vector<std::string>{"2025-03-09T01:00:00-04:00", "2025-03-09T01:30:00-04:00"}));
}

// --- visitors in other zones -------------------------------------------------

TEST(slots, a_tokyo_visitor_sees_a_berlin_monday_split_across_two_of_their_dates) {
  auto rules = berlin_office();
  auto tokyo = zone("Asia/Tokyo");
  auto monday_in_tokyo = free_slots(rules, monday, monday, tokyo, early_january, {});
  EXPECT_EQ(starts(monday_in_tokyo), half_hours("2026-01-12T08:00:00Z", 14));
  EXPECT_EQ(local_starts(monday_in_tokyo, "Asia/Tokyo").front(), "2026-01-12T17:00:00+09:00");
  EXPECT_EQ(local_starts(monday_in_tokyo, "Asia/Tokyo").back(), "2026-01-12T23:30:00+09:00");

  auto tuesday_in_tokyo = free_slots(rules, ymd(2026, 1, 13), ymd(2026, 1, 13), tokyo, early_january, {});
  auto expected = half_hours("2026-01-12T15:00:00Z", 2);  // Berlin Monday 16:00 and 16:30
  for (const auto& start : half_hours("2026-01-13T08:00:00Z", 14)) expected.push_back(start);
  EXPECT_EQ(starts(tuesday_in_tokyo), expected);
  ASSERT_EQ(tuesday_in_tokyo.size(), 16u);
  EXPECT_EQ(rfc3339_local(tuesday_in_tokyo[0].start, tokyo), "2026-01-13T00:00:00+09:00");
  EXPECT_EQ(rfc3339_local(tuesday_in_tokyo[1].start, tokyo), "2026-01-13T00:30:00+09:00");
  EXPECT_EQ(rfc3339_local(tuesday_in_tokyo[2].start, tokyo), "2026-01-13T17:00:00+09:00");
}

TEST(slots, a_new_york_visitor_sees_berlin_hours_at_their_own_offset_and_dst) {
  auto rules = berlin_office();
  auto slots = free_slots(rules, monday, monday, zone("America/New_York"), early_january, {});
  EXPECT_EQ(starts(slots), half_hours("2026-01-12T08:00:00Z", 16));
  EXPECT_EQ(local_starts(slots, "America/New_York").front(), "2026-01-12T03:00:00-05:00");
  // 2026-03-16: New York is already on EDT, Berlin still on CET.
  auto march = free_slots(rules, ymd(2026, 3, 16), ymd(2026, 3, 16), zone("America/New_York"),
                          utc("2026-03-01T00:00:00Z"), {});
  EXPECT_EQ(starts(march), half_hours("2026-03-16T08:00:00Z", 16));
  EXPECT_EQ(local_starts(march, "America/New_York").front(), "2026-03-16T04:00:00-04:00");
}

TEST(slots, an_auckland_visitor_sees_only_the_berlin_morning_on_the_same_date) {
  auto rules = berlin_office();
  auto slots = free_slots(rules, monday, monday, zone("Pacific/Auckland"), early_january, {});
  EXPECT_EQ(starts(slots), half_hours("2026-01-12T08:00:00Z", 6));
  EXPECT_EQ(local_starts(slots, "Pacific/Auckland").front(), "2026-01-12T21:00:00+13:00");
  EXPECT_EQ(local_starts(slots, "Pacific/Auckland").back(), "2026-01-12T23:30:00+13:00");
}

TEST(slots, a_visitor_more_than_a_day_ahead_still_sees_every_slot) {
  // Pago Pago is -11, Kiritimati +14: a business evening is two dates later there.
  auto rules = every_day("Pacific/Pago_Pago", {1380, 1440});
  auto kiritimati = zone("Pacific/Kiritimati");
  auto slots = free_slots(rules, ymd(2026, 1, 14), ymd(2026, 1, 14), kiritimati, early_january, {});
  EXPECT_EQ(starts(slots), half_hours("2026-01-13T10:00:00Z", 2));
  EXPECT_EQ(local_starts(slots, "Pacific/Kiritimati"),
            (std::vector<std::string>{"2026-01-14T00:00:00+14:00", "2026-01-14T00:30:00+14:00"}));
  ASSERT_FALSE(slots.empty());
  EXPECT_EQ(rfc3339_local(slots.front().start, rules.zone), "2026-01-12T23:00:00-11:00");
}

// --- closed dates, notice, horizon, bookings ---------------------------------

TEST(slots, a_closed_date_offers_nothing_and_leaves_the_next_day_alone) {
  auto rules = berlin_office();
  rules.closed_dates = {monday};
  EXPECT_TRUE(day_slots(rules, monday, early_january).empty());
  EXPECT_EQ(day_slots(rules, ymd(2026, 1, 13), early_january).size(), 16u);
}

TEST(slots, a_closed_date_is_read_in_the_business_zone_not_in_utc) {
  BookingRules rules;
  rules.zone = zone("Pacific/Auckland");
  rules.hours[0] = {{540, 600}};  // Monday 09:00-10:00 NZDT is Sunday 20:00-21:00 UTC
  auto now = utc("2026-01-01T00:00:00Z");
  EXPECT_EQ(starts(day_slots(rules, monday, now)), half_hours("2026-01-11T20:00:00Z", 2));
  rules.closed_dates = {monday};
  EXPECT_TRUE(day_slots(rules, monday, now).empty());
  rules.closed_dates = {ymd(2026, 1, 11)};
  EXPECT_EQ(day_slots(rules, monday, now).size(), 2u);
}

TEST(slots, closed_dates_are_business_dates_not_visitor_dates) {
  auto rules = berlin_office();
  auto tokyo = zone("Asia/Tokyo");
  auto tuesday = ymd(2026, 1, 13);
  rules.closed_dates = {monday};  // Monday's late slots fall on Tuesday in Tokyo
  EXPECT_EQ(starts(free_slots(rules, tuesday, tuesday, tokyo, early_january, {})),
            half_hours("2026-01-13T08:00:00Z", 14));
  rules.closed_dates = {tuesday};
  EXPECT_EQ(starts(free_slots(rules, tuesday, tuesday, tokyo, early_january, {})),
            half_hours("2026-01-12T15:00:00Z", 2));
}

TEST(slots, nothing_starts_sooner_than_the_minimum_notice) {
  auto rules = berlin_office();
  auto slots = day_slots(rules, monday, utc("2026-01-11T09:15:00Z"));
  EXPECT_EQ(starts(slots), half_hours("2026-01-12T09:30:00Z", 13));
}

TEST(slots, a_slot_exactly_the_minimum_notice_away_is_offered) {
  auto rules = berlin_office();
  EXPECT_EQ(starts(day_slots(rules, monday, utc("2026-01-11T09:00:00Z"))), half_hours("2026-01-12T09:00:00Z", 14));
  rules.min_notice = hours{0};
  EXPECT_EQ(starts(day_slots(rules, monday, utc("2026-01-12T12:00:00Z"))), half_hours("2026-01-12T12:00:00Z", 8));
}

TEST(slots, nothing_starts_later_than_the_horizon) {
  auto rules = berlin_office();
  rules.min_notice = hours{0};
  rules.horizon_days = 3;
  // now + 3 days is Monday 08:30Z: that slot is offered, the next is not.
  EXPECT_EQ(starts(day_slots(rules, monday, utc("2026-01-09T08:30:00Z"))), half_hours("2026-01-12T08:00:00Z", 2));
  EXPECT_TRUE(day_slots(rules, ymd(2026, 1, 13), utc("2026-01-09T08:30:00Z")).empty());
}

TEST(slots, a_booked_meeting_removes_its_own_slot) {
  auto rules = berlin_office();
  const Booked booked[] = {{utc("2026-01-12T09:00:00Z"), utc("2026-01-12T09:30:00Z")}};  // 10:00-10:30 CET
  auto slots = starts(day_slots(rules, monday, early_january, booked));
  EXPECT_EQ(slots.size(), 15u);
  EXPECT_FALSE(contains(slots, "2026-01-12T09:00:00Z"));
  EXPECT_TRUE(contains(slots, "2026-01-12T08:30:00Z"));
  EXPECT_TRUE(contains(slots, "2026-01-12T09:30:00Z"));
}

TEST(slots, the_buffer_keeps_neighbouring_slots_clear_of_a_meeting) {
  auto rules = berlin_office();
  rules.buffer = minutes{15};
  const Booked booked[] = {{utc("2026-01-12T09:00:00Z"), utc("2026-01-12T09:30:00Z")}};  // 10:00-10:30 CET
  auto slots = starts(day_slots(rules, monday, early_january, booked));
  EXPECT_EQ(slots.size(), 13u);
  EXPECT_TRUE(contains(slots, "2026-01-12T08:00:00Z"));   // 09:00-09:30 ends 30 min before
  EXPECT_FALSE(contains(slots, "2026-01-12T08:30:00Z"));  // 09:30-10:00 ends right at it
  EXPECT_FALSE(contains(slots, "2026-01-12T09:00:00Z"));
  EXPECT_FALSE(contains(slots, "2026-01-12T09:30:00Z"));  // 10:30 starts right after it
  EXPECT_TRUE(contains(slots, "2026-01-12T10:00:00Z"));   // 11:00 is 30 min after
}

TEST(slots, a_buffer_exactly_filled_is_enough) {
  auto rules = berlin_office();
  rules.buffer = minutes{30};
  const Booked booked[] = {{utc("2026-01-12T09:00:00Z"), utc("2026-01-12T09:30:00Z")}};
  auto slots = starts(day_slots(rules, monday, early_january, booked));
  EXPECT_TRUE(contains(slots, "2026-01-12T08:00:00Z"));
  EXPECT_TRUE(contains(slots, "2026-01-12T10:00:00Z"));
  EXPECT_EQ(slots.size(), 13u);
}

TEST(slots, a_meeting_off_the_grid_blocks_every_slot_it_touches) {
  auto rules = berlin_office();
  const Booked booked[] = {{utc("2026-01-12T09:10:00Z"), utc("2026-01-12T09:50:00Z")}};
  auto slots = starts(day_slots(rules, monday, early_january, booked));
  EXPECT_EQ(slots.size(), 14u);
  EXPECT_FALSE(contains(slots, "2026-01-12T09:00:00Z"));
  EXPECT_FALSE(contains(slots, "2026-01-12T09:30:00Z"));
}

TEST(slots, a_long_meeting_blocks_slots_even_when_a_shorter_one_starts_after_it) {
  auto rules = berlin_office();
  const Booked booked[] = {{utc("2026-01-12T08:30:00Z"), utc("2026-01-12T09:00:00Z")},
                           {utc("2026-01-12T08:00:00Z"), utc("2026-01-12T11:00:00Z")},
                           {utc("2026-01-13T08:00:00Z"), utc("2026-01-13T08:30:00Z")}};
  EXPECT_EQ(starts(day_slots(rules, monday, early_january, booked)), half_hours("2026-01-12T11:00:00Z", 10));
}

// --- is_offered --------------------------------------------------------------

TEST(slots_is_offered, accepts_the_start_of_a_free_slot) {
  auto rules = berlin_office();
  EXPECT_TRUE(is_offered(rules, utc("2026-01-12T08:00:00Z"), early_january, {}));
  EXPECT_TRUE(is_offered(rules, utc("2026-01-12T15:30:00Z"), early_january, {}));
}

TEST(slots_is_offered, rejects_a_start_off_the_grid_or_at_closing_time) {
  auto rules = berlin_office();
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T08:15:00Z"), early_january, {}));
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T08:00:01Z"), early_january, {}));
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T16:00:00Z"), early_january, {}));
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T07:30:00Z"), early_january, {}));
}

TEST(slots_is_offered, rejects_a_booked_slot_and_the_neighbours_its_buffer_covers) {
  auto rules = berlin_office();
  rules.buffer = minutes{15};
  const Booked booked[] = {{utc("2026-01-12T09:00:00Z"), utc("2026-01-12T09:30:00Z")}};
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T09:00:00Z"), early_january, booked));
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T08:30:00Z"), early_january, booked));
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T09:30:00Z"), early_january, booked));
  EXPECT_TRUE(is_offered(rules, utc("2026-01-12T08:00:00Z"), early_january, booked));
  EXPECT_TRUE(is_offered(rules, utc("2026-01-12T10:00:00Z"), early_january, booked));
  // 10:45 CET is clear of the buffer but not on the half-hour grid.
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T09:45:00Z"), early_january, booked));
}

TEST(slots_is_offered, rejects_weekends_closed_dates_short_notice_and_beyond_the_horizon) {
  auto rules = berlin_office();
  EXPECT_FALSE(is_offered(rules, utc("2026-01-10T08:00:00Z"), early_january, {}));  // Saturday
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T08:00:00Z"), utc("2026-01-11T08:00:01Z"), {}));
  EXPECT_TRUE(is_offered(rules, utc("2026-01-12T08:00:00Z"), utc("2026-01-11T08:00:00Z"), {}));
  EXPECT_FALSE(is_offered(rules, utc("2026-03-09T08:00:00Z"), early_january, {}));  // 63 days ahead
  EXPECT_TRUE(is_offered(rules, utc("2026-03-02T08:00:00Z"), early_january, {}));   // 56 days ahead
  rules.closed_dates = {monday};
  EXPECT_FALSE(is_offered(rules, utc("2026-01-12T08:00:00Z"), early_january, {}));
}

TEST(slots_is_offered, accepts_both_passes_of_a_repeated_hour_but_not_a_skipped_one) {
  auto rules = every_day("Europe/Berlin", {60, 240});
  auto october = utc("2026-10-15T00:00:00Z");
  EXPECT_TRUE(is_offered(rules, *parse_rfc3339("2026-10-25T02:00:00+02:00"), october, {}));
  EXPECT_TRUE(is_offered(rules, *parse_rfc3339("2026-10-25T02:00:00+01:00"), october, {}));
  auto march = utc("2026-03-20T00:00:00Z");
  EXPECT_FALSE(is_offered(rules, utc("2026-03-29T02:00:00Z"), march, {}));  // 04:00 CEST: closing
  EXPECT_TRUE(is_offered(rules, utc("2026-03-29T01:30:00Z"), march, {}));   // 03:30 CEST
}

TEST(slots_is_offered, agrees_with_free_slots_at_every_five_minutes_around_dst_changes) {
  struct Case {
    const char* zone;
    date::year_month_day from;
    date::year_month_day to;
    date::sys_seconds now;
  };
  const Case cases[] = {
      {"Europe/Berlin", ymd(2026, 3, 26), ymd(2026, 4, 1), utc("2026-03-25T10:00:00Z")},
      {"Europe/Berlin", ymd(2026, 10, 22), ymd(2026, 10, 28), utc("2026-10-21T10:00:00Z")},
      {"America/New_York", ymd(2026, 3, 5), ymd(2026, 3, 11), utc("2026-03-04T10:00:00Z")},
      {"America/New_York", ymd(2026, 10, 29), ymd(2026, 11, 4), utc("2026-10-28T10:00:00Z")},
  };
  for (const auto& c : cases) {
    BookingRules rules = every_day(c.zone, {60, 240});
    for (int weekday = 0; weekday < 5; ++weekday) rules.hours[weekday].push_back({540, 1020});
    rules.hours[6].push_back({1320, 1440});
    rules.slot_length = minutes{45};
    rules.buffer = minutes{10};
    rules.closed_dates = {c.from};
    auto first = date::local_days{c.from};
    const Booked booked[] = {{rules.zone->to_sys(first + date::days{2} + hours{10}),
                              rules.zone->to_sys(first + date::days{2} + hours{11})},
                             {rules.zone->to_sys(first + date::days{4} + minutes{75}),
                              rules.zone->to_sys(first + date::days{4} + minutes{100})}};
    auto slots = free_slots(rules, c.from, c.to, rules.zone, c.now, booked);
    EXPECT_GT(slots.size(), 40u) << c.zone;
    std::set<date::sys_seconds> offered;
    for (const auto& slot : slots) offered.insert(slot.start);
    auto begin = rules.zone->to_sys(first, date::choose::earliest);
    auto end = rules.zone->to_sys(date::local_days{c.to} + date::days{1}, date::choose::earliest);
    for (auto t = begin; t < end; t += minutes{5}) {
      EXPECT_EQ(is_offered(rules, t, c.now, booked), offered.count(t) == 1) << c.zone << " " << rfc3339_utc(t);
    }
  }
}

// --- RFC 3339 ----------------------------------------------------------------

TEST(slots_rfc3339, utc_text_has_seconds_and_a_z) {
  EXPECT_EQ(rfc3339_utc(utc("2026-03-29T08:00:00Z")), "2026-03-29T08:00:00Z");
  EXPECT_EQ(rfc3339_utc(utc("2026-01-01T00:00:00Z")), "2026-01-01T00:00:00Z");
  EXPECT_EQ(rfc3339_utc(utc("2026-12-31T23:59:59Z")), "2026-12-31T23:59:59Z");
}

TEST(slots_rfc3339, local_text_carries_the_zone_offset_in_force_at_that_instant) {
  auto t = utc("2026-03-29T08:00:00Z");
  EXPECT_EQ(rfc3339_local(t, zone("Europe/Berlin")), "2026-03-29T10:00:00+02:00");
  EXPECT_EQ(rfc3339_local(utc("2026-03-29T00:30:00Z"), zone("Europe/Berlin")), "2026-03-29T01:30:00+01:00");
  EXPECT_EQ(rfc3339_local(t, zone("America/New_York")), "2026-03-29T04:00:00-04:00");
  EXPECT_EQ(rfc3339_local(t, zone("Asia/Kolkata")), "2026-03-29T13:30:00+05:30");
  EXPECT_EQ(rfc3339_local(utc("2026-01-12T08:00:00Z"), zone("America/St_Johns")), "2026-01-12T04:30:00-03:30");
  EXPECT_EQ(rfc3339_local(t, zone("Etc/UTC")), "2026-03-29T08:00:00+00:00");
  EXPECT_EQ(rfc3339_local(t, zone("Pacific/Kiritimati")), "2026-03-29T22:00:00+14:00");
  EXPECT_EQ(rfc3339_local(utc("2026-01-12T20:00:00Z"), zone("Asia/Tokyo")), "2026-01-13T05:00:00+09:00");
}

TEST(slots_rfc3339, parsing_accepts_z_and_numeric_offsets_as_the_same_instant) {
  auto expected = utc("2026-03-29T08:00:00Z");
  EXPECT_EQ(parse_rfc3339("2026-03-29T08:00:00Z"), expected);
  EXPECT_EQ(parse_rfc3339("2026-03-29t08:00:00z"), expected);
  EXPECT_EQ(parse_rfc3339("2026-03-29T10:00:00+02:00"), expected);
  EXPECT_EQ(parse_rfc3339("2026-03-29T04:30:00-03:30"), expected);
  EXPECT_EQ(parse_rfc3339("2026-03-29T08:00:00+00:00"), expected);
  EXPECT_EQ(parse_rfc3339("2026-03-29T08:00:00-00:00"), expected);
  EXPECT_EQ(parse_rfc3339("2026-03-28T23:00:00-09:00"), expected);  // across midnight
  EXPECT_EQ(parse_rfc3339("2026-03-29T08:00:00.000Z"), expected);   // as JavaScript writes it
  EXPECT_EQ(parse_rfc3339("2028-02-29T12:00:00Z"), utc("2028-02-29T12:00:00Z"));
}

TEST(slots_rfc3339, formatting_then_parsing_gives_back_the_instant_across_dst_changes) {
  const char* zones[] = {"Europe/Berlin", "America/New_York", "Asia/Kolkata", "America/St_Johns",
                         "Pacific/Auckland"};
  const char* starts_at[] = {"2026-03-07T12:00:00Z", "2026-03-28T12:00:00Z", "2026-10-24T12:00:00Z",
                             "2026-10-31T12:00:00Z"};
  for (const auto* name : zones) {
    for (const auto* first : starts_at) {
      for (auto t = utc(first); t < utc(first) + hours{36}; t += minutes{20}) {
        EXPECT_EQ(parse_rfc3339(rfc3339_local(t, zone(name))), t) << name << " " << rfc3339_utc(t);
        EXPECT_EQ(parse_rfc3339(rfc3339_utc(t)), t);
      }
    }
  }
}

TEST(slots_rfc3339, an_old_offset_with_seconds_is_written_in_whole_minutes_of_the_same_instant) {
  auto t = utc("1880-06-01T12:00:00Z");  // Berlin kept local mean time, +00:53:28
  auto text = rfc3339_local(t, zone("Europe/Berlin"));
  EXPECT_EQ(text, "1880-06-01T12:53:00+00:53");
  EXPECT_EQ(parse_rfc3339(text), t) << text;
}

TEST(slots_rfc3339, parsing_rejects_anything_but_a_complete_valid_timestamp) {
  const char* invalid[] = {
      "",
      "garbage",
      "2026-13-01T08:00:00Z",       // month 13
      "2026-00-01T08:00:00Z",       // month 0
      "2026-02-30T08:00:00Z",       // no such day
      "2026-02-29T08:00:00Z",       // not a leap year
      "2026-03-29T08:00:00",        // no offset
      "2026-03-29T08:00Z",          // no seconds
      "2026-03-29 08:00:00Z",       // space for T
      "2026-03-29T24:00:00Z",       // hour 24
      "2026-03-29T08:60:00Z",       // minute 60
      "2026-03-29T08:00:60Z",       // leap second
      "2026-03-29T08:00:00+24:00",  // offset hour 24
      "2026-03-29T08:00:00+02:60",  // offset minute 60
      "2026-03-29T08:00:00+0200",   // offset without colon
      "2026-03-29T08:00:00+02",     // offset without minutes
      "2026-03-29T08:00:00Z ",      // trailing space
      " 2026-03-29T08:00:00Z",      // leading space
      "2026-03-29T08:00:00ZZ",
      "2026-03-29T08:00:00.5Z",     // a fraction no slot starts at
      "2026-03-29T08:00:00.0001Z",
      "2026-03-29T08:00:00.Z",      // a point without digits
      "2026-03-29T08:00:00.000",    // fraction, no offset
      "2026-3-29T08:00:00Z",
      "+026-03-29T08:00:00Z",
      "2026-03-29T-8:00:00Z",
      "2026-03-29T08:00:0aZ",
      "2026-03-29T08:00:00+02:00 extra",
  };
  for (const auto* text : invalid) EXPECT_FALSE(parse_rfc3339(text).has_value()) << '"' << text << '"';
}

// --- dates -------------------------------------------------------------------

TEST(slots_parse_date, accepts_real_calendar_dates) {
  EXPECT_EQ(parse_date("2026-01-12"), ymd(2026, 1, 12));
  EXPECT_EQ(parse_date("2026-02-28"), ymd(2026, 2, 28));
  EXPECT_EQ(parse_date("2028-02-29"), ymd(2028, 2, 29));
  EXPECT_EQ(parse_date("2026-12-31"), ymd(2026, 12, 31));
}

TEST(slots_parse_date, rejects_impossible_dates_and_other_shapes) {
  const char* invalid[] = {"",           "2026-02-29", "2026-02-30",  "2026-04-31",  "2026-13-01",
                           "2026-00-10", "2026-01-00", "2026-1-01",   "2026-01-1",   "20260101",
                           "2026/01/01", "2026-01-01x", " 2026-01-01", "+026-01-01", "-026-01-01",
                           "2026-0a-01", "2026-01-12T00:00:00Z", "0000-01-01"};  // year 0: PostgreSQL has none
  for (const auto* text : invalid) EXPECT_FALSE(parse_date(text).has_value()) << '"' << text << '"';
}

// Found by fuzzing: an offset can carry a four-digit year past 9999 (or
// before 0001) in UTC, which no longer formats as RFC 3339.
TEST(slots_rfc3339, instants_outside_four_digit_years_are_refused) {
  using leadgate::domain::parse_rfc3339;
  EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59-00:01"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00+00:01"), std::nullopt);
  EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00Z"), std::nullopt);
  EXPECT_NE(parse_rfc3339("2026-03-29T01:30:00+01:00"), std::nullopt);
}
