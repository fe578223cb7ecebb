// calendar::busy_intervals: a host's busy time read from iCalendar text
// with libical (recurrences, overrides, zones, all-day events, the bounds on
// runaway rules). Expected instants are written out by hand from the
// published DST rules (Europe: last Sunday of March and October, 01:00 UTC;
// United States: second Sunday of March, first Sunday of November), never
// computed with the code under test.

#include "calendar/busy_time.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

using leadgate::calendar::busy_intervals;
using leadgate::calendar::Interval;
using leadgate::calendar::Unreadable;
using leadgate::calendar::Window;

// "2026-10-05T08:00:00Z", read by sscanf rather than by anything under test.
date::sys_seconds at(const std::string& text) {
  int y = 0;
  unsigned mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char z = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%uT%u:%u:%u%c", &y, &mo, &d, &h, &mi, &s, &z) != 7 || z != 'Z') {
    ADD_FAILURE() << "bad test instant " << text;
  }
  return date::sys_days{date::year{y} / date::month{mo} / date::day{d}} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{s};
}

Window window_of(const std::string& from, const std::string& to) { return Window{at(from), at(to)}; }

// October 2026, which holds Europe's change back to winter time (the 25th).
const Window october = window_of("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z");

// A VCALENDAR around `body`, with the CRLF line ends calendars send.
std::string vcalendar(const std::string& body) {
  std::string text = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//leadgate//tests//EN\n" + body + "END:VCALENDAR\n";
  std::string crlf;
  for (char c : text) {
    if (c == '\n') crlf += '\r';
    crlf += c;
  }
  return crlf;
}

// Each interval as "start/end" in UTC, so a failure shows readable times.
std::vector<std::string> shown(const std::vector<Interval>& intervals) {
  std::vector<std::string> text;
  for (const auto& interval : intervals) {
    text.push_back(date::format("%FT%TZ", interval.start) + "/" + date::format("%FT%TZ", interval.end));
  }
  return text;
}

std::vector<std::string> busy(const std::vector<std::string>& calendars, Window window,
                              const std::string& business_zone = "Europe/Berlin") {
  return shown(busy_intervals(calendars, window, *date::locate_zone(business_zone)));
}

std::vector<std::string> busy(const std::string& body, Window window = october,
                              const std::string& business_zone = "Europe/Berlin") {
  return busy(std::vector<std::string>{vcalendar(body)}, window, business_zone);
}

}  // namespace

TEST(calendar_busy_time, a_utc_event_is_busy_from_its_start_to_its_end) {
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20261005T080000Z\nDTEND:20261005T093000Z\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T09:30:00Z"});
}

TEST(calendar_busy_time, a_tzid_time_is_read_in_that_zone_not_the_business_zone) {
  // 10:00 in Berlin on 5 October is summer time, UTC+2.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Berlin:20261005T100000\n"
                 "DTEND;TZID=Europe/Berlin:20261005T110000\nEND:VEVENT\n",
                 october, "Asia/Tokyo"),
            std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T09:00:00Z"});
}

TEST(calendar_busy_time, a_new_york_event_keeps_its_own_offset_for_a_berlin_business) {
  // 5 October: New York is on EDT, UTC-4.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;TZID=America/New_York:20261005T100000\n"
                 "DTEND;TZID=America/New_York:20261005T110000\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-05T14:00:00Z/2026-10-05T15:00:00Z"});
}

TEST(calendar_busy_time, a_weekly_meeting_drops_its_exdate_moves_its_override_and_adds_its_rdate) {
  // Mondays at 10:00 Berlin (UTC+2 in September): the 14th is excluded,
  // the 21st moved to Tuesday 15:00, and Thursday the 10th added at 09:00.
  // The override comes first: order in the text must not matter.
  const std::string body =
      "BEGIN:VEVENT\nUID:weekly\nRECURRENCE-ID;TZID=Europe/Berlin:20260921T100000\n"
      "DTSTART;TZID=Europe/Berlin:20260922T150000\nDTEND;TZID=Europe/Berlin:20260922T160000\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:weekly\nDTSTART;TZID=Europe/Berlin:20260907T100000\n"
      "DTEND;TZID=Europe/Berlin:20260907T110000\nRRULE:FREQ=WEEKLY\n"
      "EXDATE;TZID=Europe/Berlin:20260914T100000\nRDATE;TZID=Europe/Berlin:20260910T090000\nEND:VEVENT\n";
  EXPECT_EQ(busy(body, window_of("2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z")),
            (std::vector<std::string>{"2026-09-07T08:00:00Z/2026-09-07T09:00:00Z",
                                      "2026-09-10T07:00:00Z/2026-09-10T08:00:00Z",
                                      "2026-09-22T13:00:00Z/2026-09-22T14:00:00Z",
                                      "2026-09-28T08:00:00Z/2026-09-28T09:00:00Z"}));
}

TEST(calendar_busy_time, an_override_given_in_utc_still_replaces_its_zoned_instance) {
  // RECURRENCE-ID 08:00Z is the 10:00 Berlin instance of 14 September.
  const std::string body =
      "BEGIN:VEVENT\nUID:weekly\nDTSTART;TZID=Europe/Berlin:20260907T100000\n"
      "DTEND;TZID=Europe/Berlin:20260907T110000\nRRULE:FREQ=WEEKLY;COUNT=2\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:weekly\nRECURRENCE-ID:20260914T080000Z\n"
      "DTSTART:20260914T120000Z\nDTEND:20260914T130000Z\nEND:VEVENT\n";
  EXPECT_EQ(busy(body, window_of("2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z")),
            (std::vector<std::string>{"2026-09-07T08:00:00Z/2026-09-07T09:00:00Z",
                                      "2026-09-14T12:00:00Z/2026-09-14T13:00:00Z"}));
}

TEST(calendar_busy_time, an_rdate_period_keeps_its_own_length) {
  // libical's own icalcomponent_foreach_recurrence skips RDATE periods.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20261005T080000Z\nDURATION:PT1H\n"
                 "RDATE;VALUE=PERIOD:20261007T080000Z/PT3H,20261009T080000Z/20261009T083000Z\nEND:VEVENT\n"),
            (std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T09:00:00Z",
                                      "2026-10-07T08:00:00Z/2026-10-07T11:00:00Z",
                                      "2026-10-09T08:00:00Z/2026-10-09T08:30:00Z"}));
}

TEST(calendar_busy_time, an_all_day_event_blocks_the_whole_business_day) {
  // Midnight in Berlin on 5 October is 22:00Z the day before.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20261005\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-04T22:00:00Z/2026-10-05T22:00:00Z"});
  // The same date for a business in New York (EDT).
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20261005\nEND:VEVENT\n", october, "America/New_York"),
            std::vector<std::string>{"2026-10-05T04:00:00Z/2026-10-06T04:00:00Z"});
}

TEST(calendar_busy_time, a_multi_day_event_ends_at_the_business_midnight_of_its_end_date) {
  // 24 to 26 October (DTEND is exclusive) spans the change to winter time:
  // it starts at 22:00Z (UTC+2) and ends at 23:00Z (UTC+1).
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20261024\nDTEND;VALUE=DATE:20261026\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-23T22:00:00Z/2026-10-25T23:00:00Z"});
}

TEST(calendar_busy_time, a_transparent_event_is_not_busy) {
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:free\nDTSTART:20261005T080000Z\nDTEND:20261005T090000Z\n"
                 "TRANSP:TRANSPARENT\nEND:VEVENT\n"
                 "BEGIN:VEVENT\nUID:busy\nDTSTART:20261006T080000Z\nDTEND:20261006T090000Z\n"
                 "TRANSP:OPAQUE\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-06T08:00:00Z/2026-10-06T09:00:00Z"});
}

TEST(calendar_busy_time, a_cancelled_series_is_not_busy) {
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20261005T080000Z\nDTEND:20261005T090000Z\n"
                 "RRULE:FREQ=DAILY\nSTATUS:CANCELLED\nEND:VEVENT\n"),
            std::vector<std::string>{});
}

TEST(calendar_busy_time, a_cancelled_override_frees_only_its_own_instance) {
  const std::string body =
      "BEGIN:VEVENT\nUID:a\nDTSTART:20261005T080000Z\nDTEND:20261005T090000Z\nRRULE:FREQ=DAILY;COUNT=3\n"
      "END:VEVENT\n"
      "BEGIN:VEVENT\nUID:a\nRECURRENCE-ID:20261006T080000Z\nDTSTART:20261006T080000Z\n"
      "DTEND:20261006T090000Z\nSTATUS:CANCELLED\nEND:VEVENT\n";
  EXPECT_EQ(busy(body), (std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T09:00:00Z",
                                                  "2026-10-07T08:00:00Z/2026-10-07T09:00:00Z"}));
}

TEST(calendar_busy_time, events_whose_uid_is_skipped_are_not_busy_nor_their_overrides) {
  // The host's copy of a leadgate meeting (write_to is one of their
  // calendars): the booking blocks that time already.
  const std::vector<std::string> calendars = {vcalendar(
      "BEGIN:VEVENT\nUID:meeting@studio.example\nDTSTART:20261005T080000Z\nDTEND:20261005T083000Z\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:series@studio.example\nDTSTART:20261006T080000Z\nDTEND:20261006T090000Z\n"
      "RRULE:FREQ=DAILY;COUNT=2\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:series@studio.example\nRECURRENCE-ID:20261007T080000Z\nDTSTART:20261008T080000Z\n"
      "DTEND:20261008T090000Z\nEND:VEVENT\n"
      "BEGIN:VEVENT\nUID:dentist\nDTSTART:20261009T080000Z\nDTEND:20261009T090000Z\nEND:VEVENT\n")};
  auto skip = [](std::string_view uid) { return uid.ends_with("@studio.example"); };
  EXPECT_EQ(shown(busy_intervals(calendars, october, *date::locate_zone("Europe/Berlin"), skip)),
            std::vector<std::string>{"2026-10-09T08:00:00Z/2026-10-09T09:00:00Z"});
  EXPECT_EQ(busy(calendars, october).size(), 4u) << "without a skip every event is busy";
}

TEST(calendar_busy_time, a_tentative_event_is_busy) {
  // The host may still go; libical's own expansion would call it free.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20261005T080000Z\nDTEND:20261005T090000Z\n"
                 "STATUS:TENTATIVE\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T09:00:00Z"});
}

TEST(calendar_busy_time, a_weekly_berlin_meeting_stays_at_ten_local_across_the_october_change) {
  // Summer time (UTC+2) until 25 October 01:00Z, then UTC+1: the same
  // 10:00 is 08:00Z before and 09:00Z after.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Berlin:20261019T100000\n"
                 "DTEND;TZID=Europe/Berlin:20261019T110000\nRRULE:FREQ=WEEKLY\nEND:VEVENT\n",
                 window_of("2026-10-15T00:00:00Z", "2026-11-05T00:00:00Z")),
            (std::vector<std::string>{"2026-10-19T08:00:00Z/2026-10-19T09:00:00Z",
                                      "2026-10-26T09:00:00Z/2026-10-26T10:00:00Z",
                                      "2026-11-02T09:00:00Z/2026-11-02T10:00:00Z"}));
}

TEST(calendar_busy_time, a_weekly_berlin_meeting_stays_at_ten_local_across_the_march_change) {
  // Winter time (UTC+1) until 29 March 2026 01:00Z, then UTC+2. The series
  // began a year earlier, so the expansion starts late, near the window.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Berlin:20250324T100000\n"
                 "DTEND;TZID=Europe/Berlin:20250324T110000\nRRULE:FREQ=WEEKLY;BYDAY=MO\nEND:VEVENT\n",
                 window_of("2026-03-20T00:00:00Z", "2026-04-01T00:00:00Z")),
            (std::vector<std::string>{"2026-03-23T09:00:00Z/2026-03-23T10:00:00Z",
                                      "2026-03-30T08:00:00Z/2026-03-30T09:00:00Z"}));
}

TEST(calendar_busy_time, a_floating_time_is_read_in_the_business_zone) {
  const std::string body = "BEGIN:VEVENT\nUID:a\nDTSTART:20261005T100000\nDTEND:20261005T110000\nEND:VEVENT\n";
  EXPECT_EQ(busy(body), std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T09:00:00Z"});
  EXPECT_EQ(busy(body, october, "America/New_York"),
            std::vector<std::string>{"2026-10-05T14:00:00Z/2026-10-05T15:00:00Z"});
}

TEST(calendar_busy_time, an_unknown_tzid_is_read_in_the_business_zone) {
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Mars/Olympus_Mons:20261005T100000\n"
                 "DTEND;TZID=Mars/Olympus_Mons:20261005T110000\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T09:00:00Z"});
}

TEST(calendar_busy_time, an_inline_vtimezone_with_a_windows_name_is_used) {
  // Outlook names zones its own way and sends their rules along. The
  // business zone is New York, so only the VTIMEZONE can give these times:
  // 10:00 is UTC+2 in October before the 25th, UTC+1 in November.
  const std::string body =
      "BEGIN:VTIMEZONE\nTZID:W. Europe Standard Time\n"
      "BEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\n"
      "BEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\n"
      "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE\n"
      "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=W. Europe Standard Time:20261005T100000\n"
      "DTEND;TZID=W. Europe Standard Time:20261005T110000\nRRULE:FREQ=MONTHLY;COUNT=2\nEND:VEVENT\n";
  EXPECT_EQ(busy(body, window_of("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z"), "America/New_York"),
            (std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T09:00:00Z",
                                      "2026-11-05T09:00:00Z/2026-11-05T10:00:00Z"}));
}

TEST(calendar_busy_time, an_inline_vtimezone_wins_over_the_built_in_zone_of_the_same_name) {
  // The calendar defines what its TZIDs mean (here, wrongly, a fixed +05:00).
  const std::string body =
      "BEGIN:VTIMEZONE\nTZID:Europe/Berlin\nBEGIN:STANDARD\nDTSTART:19700101T000000\n"
      "TZOFFSETFROM:+0500\nTZOFFSETTO:+0500\nEND:STANDARD\nEND:VTIMEZONE\n"
      "BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Berlin:20261005T100000\n"
      "DTEND;TZID=Europe/Berlin:20261005T110000\nEND:VEVENT\n";
  EXPECT_EQ(busy(body), std::vector<std::string>{"2026-10-05T05:00:00Z/2026-10-05T06:00:00Z"});
}

TEST(calendar_busy_time, an_instance_that_starts_before_the_window_still_counts) {
  // Daily 22:00-02:00Z: the instance of 30 September reaches into the window.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20260901T220000Z\nDTEND:20260902T020000Z\nRRULE:FREQ=DAILY\n"
                 "END:VEVENT\n",
                 window_of("2026-10-01T00:00:00Z", "2026-10-02T00:00:00Z")),
            (std::vector<std::string>{"2026-09-30T22:00:00Z/2026-10-01T02:00:00Z",
                                      "2026-10-01T22:00:00Z/2026-10-02T02:00:00Z"}));
}

TEST(calendar_busy_time, a_daily_series_begun_decades_ago_is_expanded_near_the_window_only) {
  // 40 years of instances before the window would be past the cap of
  // 10,000 if they were counted.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Berlin:19860101T120000\n"
                 "DTEND;TZID=Europe/Berlin:19860101T130000\nRRULE:FREQ=DAILY\nEND:VEVENT\n",
                 window_of("2026-10-05T00:00:00Z", "2026-10-07T00:00:00Z")),
            (std::vector<std::string>{"2026-10-05T10:00:00Z/2026-10-05T11:00:00Z",
                                      "2026-10-06T10:00:00Z/2026-10-06T11:00:00Z"}));
}

TEST(calendar_busy_time, an_hourly_rule_with_an_interval_keeps_its_phase) {
  // Every 5 hours from 1 September 10:00Z: 1 October 00:00Z is 710 hours
  // on, an instance. (libical 3.0.16's set_start would shift the phase.)
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20260901T100000Z\nDURATION:PT30M\nRRULE:FREQ=HOURLY;INTERVAL=5\n"
                 "END:VEVENT\n",
                 window_of("2026-10-01T00:00:00Z", "2026-10-01T12:00:00Z")),
            (std::vector<std::string>{"2026-10-01T00:00:00Z/2026-10-01T00:30:00Z",
                                      "2026-10-01T05:00:00Z/2026-10-01T05:30:00Z",
                                      "2026-10-01T10:00:00Z/2026-10-01T10:30:00Z"}));
}

TEST(calendar_busy_time, an_hourly_rule_limited_to_some_hours_keeps_all_of_them) {
  // 09:00 and 10:00 on Mondays; the window opens early on a Monday, where
  // libical 3.0.16, asked to start there, loses the 09:00.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20260907T090000Z\nDURATION:PT30M\n"
                 "RRULE:FREQ=HOURLY;BYHOUR=9,10;BYDAY=MO\nEND:VEVENT\n",
                 window_of("2026-10-05T01:00:00Z", "2026-10-06T00:00:00Z")),
            (std::vector<std::string>{"2026-10-05T09:00:00Z/2026-10-05T09:30:00Z",
                                      "2026-10-05T10:00:00Z/2026-10-05T10:30:00Z"}));
}

TEST(calendar_busy_time, a_duration_gives_the_length_and_a_time_without_end_takes_none) {
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20261005T080000Z\nDURATION:PT45M\nEND:VEVENT\n"
                 "BEGIN:VEVENT\nUID:b\nDTSTART:20261006T080000Z\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T08:45:00Z"});
}

TEST(calendar_busy_time, touching_and_overlapping_intervals_merge_across_calendars) {
  const std::vector<std::string> calendars{
      vcalendar("BEGIN:VEVENT\nUID:a\nDTSTART:20261005T080000Z\nDTEND:20261005T090000Z\nEND:VEVENT\n"
                "BEGIN:VEVENT\nUID:c\nDTSTART:20261005T120000Z\nDTEND:20261005T130000Z\nEND:VEVENT\n"),
      vcalendar("BEGIN:VEVENT\nUID:b\nDTSTART:20261005T090000Z\nDTEND:20261005T100000Z\nEND:VEVENT\n"),
      vcalendar("BEGIN:VEVENT\nUID:d\nDTSTART:20261005T093000Z\nDTEND:20261005T110000Z\nEND:VEVENT\n")};
  EXPECT_EQ(busy(calendars, october), (std::vector<std::string>{"2026-10-05T08:00:00Z/2026-10-05T11:00:00Z",
                                                                "2026-10-05T12:00:00Z/2026-10-05T13:00:00Z"}));
}

TEST(calendar_busy_time, only_intervals_that_overlap_the_window_are_returned) {
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20260930T230000Z\nDTEND:20261001T000000Z\nEND:VEVENT\n"
                 "BEGIN:VEVENT\nUID:b\nDTSTART:20261101T000000Z\nDTEND:20261101T010000Z\nEND:VEVENT\n"
                 "BEGIN:VEVENT\nUID:c\nDTSTART:20260930T230000Z\nDTEND:20261001T000001Z\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-09-30T23:00:00Z/2026-10-01T00:00:01Z"});
}

TEST(calendar_busy_time, an_empty_vcalendar_has_no_busy_time) {
  EXPECT_EQ(busy(""), std::vector<std::string>{});
}

TEST(calendar_busy_time, text_that_is_not_one_vcalendar_is_unreadable) {
  const auto& zone = *date::locate_zone("Europe/Berlin");
  for (const std::string text :
       {"", "<html><body>Please log in</body></html>", "BEGIN:VCARD\r\nFN:Zoë\r\nEND:VCARD\r\n",
        "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261005T080000Z\r\nEND:VEVENT\r\n",
        // Cut off in transit: the last events are missing.
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261005T080000Z\r\nEND:VEVENT\r\n"}) {
    const std::vector<std::string> calendars{vcalendar(""), text};
    EXPECT_THROW(busy_intervals(calendars, october, zone), Unreadable) << text;
  }
}

TEST(calendar_busy_time, an_event_whose_times_cannot_be_read_makes_the_calendar_unreadable) {
  const auto& zone = *date::locate_zone("Europe/Berlin");
  for (const std::string event :
       {"UID:a\nDTSTART:2026-10-05 08:00\nDTEND:20261005T090000Z\n",  // libical drops the DTSTART
        "UID:a\nDTSTART:20261005T080000Z\nDTEND:tomorrow\n",          // and here the DTEND
        "UID:a\nDTSTART:20261005T080000Z\nDTEND:20261005T090000Z\nRRULE:FREQ=FORTNIGHTLY\n",
        "UID:a\nDTEND:20261005T090000Z\n",                         // no DTSTART at all
        "UID:a\nDTSTART:20260230T080000Z\nDTEND:20260230T090000Z\n"}) {  // no such day
    const std::vector<std::string> calendars{vcalendar("BEGIN:VEVENT\n" + event + "END:VEVENT\n")};
    EXPECT_THROW(busy_intervals(calendars, october, zone), Unreadable) << event;
  }
}

TEST(calendar_busy_time, a_rule_past_the_instance_cap_is_busy_from_the_first_instance_not_read) {
  // Every 2 minutes for a minute: 22,320 instances in October. The first
  // 10,000 are read (the last at 2026-10-14T21:18Z); from the next one on,
  // the rest of the window counts as busy.
  const auto intervals = busy("BEGIN:VEVENT\nUID:a\nDTSTART:20261001T000000Z\nDURATION:PT1M\n"
                              "RRULE:FREQ=MINUTELY;INTERVAL=2\nEND:VEVENT\n");
  ASSERT_EQ(intervals.size(), 10'001u);
  EXPECT_EQ(intervals.front(), "2026-10-01T00:00:00Z/2026-10-01T00:01:00Z");
  EXPECT_EQ(intervals[9'999], "2026-10-14T21:18:00Z/2026-10-14T21:19:00Z");
  EXPECT_EQ(intervals.back(), "2026-10-14T21:20:00Z/2026-11-01T00:00:00Z");
}

TEST(calendar_busy_time, a_secondly_rule_without_end_is_busy_for_the_rest_of_the_window) {
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART:20261005T080000Z\nDURATION:PT1S\nRRULE:FREQ=SECONDLY\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-05T08:00:00Z/2026-11-01T00:00:00Z"});
}

TEST(calendar_busy_time, a_rule_libical_would_search_for_years_is_busy_without_the_search) {
  // 30 February never comes: libical would try every second of the window
  // (seconds of work), so the rule counts as busy from its start instead.
  EXPECT_EQ(busy("BEGIN:VEVENT\nUID:a\nDTSTART;TZID=Europe/Berlin:20261005T100000\nDURATION:PT1S\n"
                 "RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\n"),
            std::vector<std::string>{"2026-10-05T08:00:00Z/2026-11-01T00:00:00Z"});
}
