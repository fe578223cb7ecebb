// The admin page's wall-clock times (domain/wall_clock.hpp): shown to the
// minute in a zone, and a datetime-local value read back in the zone the
// page showed, across Europe/Berlin's 2026 clock changes (29 March 02:00 →
// 03:00, 25 October 03:00 → 02:00). Expected values are written out by hand
// from those rules, never computed with the code under test.

#include "domain/wall_clock.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "domain/error.hpp"
#include "form_builder.hpp"
#include "handlers/booking.hpp"

namespace {

using leadgate::domain::minute_in_zone;
using leadgate::domain::parse_datetime_local;
using leadgate::domain::unique_instant;
using std::chrono::hours;
using std::chrono::minutes;

const date::time_zone& berlin_zone() { return *date::locate_zone("Europe/Berlin"); }
const date::time_zone& utc_zone() { return *date::locate_zone("UTC"); }

date::sys_seconds utc_at(int year, unsigned month, unsigned day, int hour, int minute) {
  return date::sys_days{date::year{year} / date::month{month} / date::day{day}} + hours{hour} + minutes{minute};
}

date::local_seconds local_at(int year, unsigned month, unsigned day, int hour, int minute) {
  return date::local_days{date::year{year} / date::month{month} / date::day{day}} + hours{hour} + minutes{minute};
}

// The field of a 422 read_slot_start_in_zone throws, or "" when it does not.
std::string refused_field(const leadgate::domain::FormInput& input) {
  try {
    leadgate::handlers::read_slot_start_in_zone(input);
  } catch (const leadgate::domain::Error& error) {
    return error.field_errors().empty() ? "no field" : error.field_errors().front().field;
  }
  return "";
}

}  // namespace

TEST(minute_in_zone, postgres_timestamps_show_on_the_zones_wall_clock_in_winter_and_summer) {
  EXPECT_EQ(minute_in_zone("2026-11-29T15:37:41.123456+00:00", berlin_zone()), "2026-11-29 16:37");
  EXPECT_EQ(minute_in_zone("2026-07-01T08:00:00+00:00", berlin_zone()), "2026-07-01 10:00");
  EXPECT_EQ(minute_in_zone("2026-07-01T13:30:00+05:30", berlin_zone()), "2026-07-01 10:00");
  EXPECT_EQ(minute_in_zone("2026-12-31T23:30:00Z", berlin_zone()), "2027-01-01 00:30");
  EXPECT_EQ(minute_in_zone("2026-11-29T15:37:41.5+00:00", utc_zone()), "2026-11-29 15:37");
}

TEST(minute_in_zone, either_side_of_a_clock_change_shows_the_clock_of_that_moment) {
  EXPECT_EQ(minute_in_zone("2026-03-29T00:59:00+00:00", berlin_zone()), "2026-03-29 01:59");
  EXPECT_EQ(minute_in_zone("2026-03-29T01:00:00+00:00", berlin_zone()), "2026-03-29 03:00");
  EXPECT_EQ(minute_in_zone("2026-10-25T00:30:00+00:00", berlin_zone()), "2026-10-25 02:30");
  EXPECT_EQ(minute_in_zone("2026-10-25T01:30:00+00:00", berlin_zone()), "2026-10-25 02:30");
}

TEST(minute_in_zone, text_of_another_shape_is_shown_as_it_is) {
  for (const char* text : {"", "soon", "2026-11-29 15:37", "2026-11-29T15:37:41", "2026-11-29T15:37:41.x+00:00",
                           "2026-11-29T15:37:41.+00:00", "2026-02-30T10:00:00+00:00"}) {
    EXPECT_EQ(minute_in_zone(text, berlin_zone()), text);
  }
}

TEST(parse_datetime_local, reads_what_a_datetime_local_field_sends_with_or_without_seconds) {
  EXPECT_EQ(parse_datetime_local("2026-12-15T10:00"), local_at(2026, 12, 15, 10, 0));
  EXPECT_EQ(parse_datetime_local("2026-12-15T10:00:00"), local_at(2026, 12, 15, 10, 0));
  EXPECT_EQ(parse_datetime_local("2026-12-15T10:00:30"), local_at(2026, 12, 15, 10, 0) + std::chrono::seconds{30});
}

TEST(parse_datetime_local, refuses_offsets_other_shapes_and_days_that_do_not_exist) {
  for (const char* text : {"", "2026-12-15", "2026-12-15 10:00", "2026-12-15T10:00Z", "2026-12-15T10:00:00Z",
                           "2026-12-15T24:00", "2026-12-15T10:60", "2026-02-30T10:00", "2026-12-15T10:0a",
                           "2026-12-15T10:00.00"}) {
    EXPECT_FALSE(parse_datetime_local(text)) << text;
  }
}

TEST(unique_instant, a_berlin_wall_clock_time_is_one_hour_ahead_of_utc_in_winter_and_two_in_summer) {
  EXPECT_EQ(unique_instant(local_at(2026, 12, 15, 10, 0), berlin_zone()), utc_at(2026, 12, 15, 9, 0));
  EXPECT_EQ(unique_instant(local_at(2026, 7, 1, 10, 0), berlin_zone()), utc_at(2026, 7, 1, 8, 0));
  EXPECT_EQ(unique_instant(local_at(2026, 7, 1, 10, 0), utc_zone()), utc_at(2026, 7, 1, 10, 0));
}

TEST(unique_instant, times_either_side_of_a_clock_change_are_read_with_their_own_offset) {
  EXPECT_EQ(unique_instant(local_at(2026, 3, 29, 1, 59), berlin_zone()), utc_at(2026, 3, 29, 0, 59));
  EXPECT_EQ(unique_instant(local_at(2026, 3, 29, 3, 0), berlin_zone()), utc_at(2026, 3, 29, 1, 0));
  EXPECT_EQ(unique_instant(local_at(2026, 10, 25, 1, 59), berlin_zone()), utc_at(2026, 10, 24, 23, 59));
  EXPECT_EQ(unique_instant(local_at(2026, 10, 25, 3, 0), berlin_zone()), utc_at(2026, 10, 25, 2, 0));
}

TEST(unique_instant, a_time_the_clocks_skip_or_show_twice_names_no_instant) {
  EXPECT_FALSE(unique_instant(local_at(2026, 3, 29, 2, 30), berlin_zone()));
  EXPECT_FALSE(unique_instant(local_at(2026, 10, 25, 2, 30), berlin_zone()));
}

TEST(read_slot_start_in_zone, a_datetime_local_value_is_read_in_the_forms_zone) {
  using leadgate::handlers::read_slot_start_in_zone;
  using leadgate::testing::FormBuilder;
  EXPECT_EQ(read_slot_start_in_zone(FormBuilder().set("slot_start", "2026-12-15T10:00").set("tz", "Europe/Berlin").build()),
            utc_at(2026, 12, 15, 9, 0));
  EXPECT_EQ(read_slot_start_in_zone(FormBuilder().set("slot_start", "2026-07-01T10:00").set("tz", "Europe/Berlin").build()),
            utc_at(2026, 7, 1, 8, 0));
  EXPECT_EQ(read_slot_start_in_zone(FormBuilder().set("slot_start", "2026-07-01T10:00").set("tz", "UTC").build()),
            utc_at(2026, 7, 1, 10, 0));
}

TEST(read_slot_start_in_zone, without_a_zone_a_datetime_local_value_is_utc_as_the_tab_used_to_show) {
  using leadgate::testing::FormBuilder;
  EXPECT_EQ(leadgate::handlers::read_slot_start_in_zone(FormBuilder().set("slot_start", "2026-07-01T10:00").build()),
            utc_at(2026, 7, 1, 10, 0));
}

TEST(read_slot_start_in_zone, rfc3339_keeps_its_own_offset_whatever_the_forms_zone) {
  using leadgate::testing::FormBuilder;
  auto input = FormBuilder().set("slot_start", "2026-07-01T10:00:00+02:00").set("tz", "UTC").build();
  EXPECT_EQ(leadgate::handlers::read_slot_start_in_zone(input), utc_at(2026, 7, 1, 8, 0));
}

TEST(read_slot_start_in_zone, bad_input_is_a_422_naming_the_field) {
  using leadgate::testing::FormBuilder;
  EXPECT_EQ(refused_field(FormBuilder().set("slot_start", "2026-03-29T02:30").set("tz", "Europe/Berlin").build()),
            "slot_start");
  EXPECT_EQ(refused_field(FormBuilder().set("slot_start", "2026-10-25T02:30").set("tz", "Europe/Berlin").build()),
            "slot_start");
  EXPECT_EQ(refused_field(FormBuilder().set("slot_start", "2026-12-15T10:00").set("tz", "Mars/Olympus").build()), "tz");
  EXPECT_EQ(refused_field(FormBuilder().set("slot_start", "tomorrow").set("tz", "Europe/Berlin").build()), "slot_start");
  EXPECT_EQ(refused_field(FormBuilder().set("tz", "Europe/Berlin").build()), "slot_start");
}
