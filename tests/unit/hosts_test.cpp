// domain/hosts: slots of several hosts, fail closed on stale calendars, and
// who takes a booking.

#include "domain/hosts.hpp"

#include <gtest/gtest.h>

namespace {

using namespace leadgate::domain;
using std::chrono::hours;
using std::chrono::minutes;

date::sys_seconds at(int y, unsigned m, unsigned d, int h, int min = 0) {
  return date::sys_days(date::year(y) / m / d) + hours(h) + minutes(min);
}

// Mondays 09:00-10:00 Berlin (08:00-09:00 UTC in January): two half-hour slots.
BookingHost host(std::string id) {
  BookingHost host{std::move(id), "", "", {}, {}};
  host.rules.zone = date::locate_zone("Europe/Berlin");
  host.rules.hours[0] = {{540, 600}};
  host.rules.min_notice = hours(0);
  return host;
}

const auto monday = date::year_month_day(date::year(2026) / 1 / 12);
const auto early_january = at(2026, 1, 5, 0);

std::vector<date::sys_seconds> starts(const std::vector<Slot>& slots) {
  std::vector<date::sys_seconds> out;
  for (const auto& slot : slots) out.push_back(slot.start);
  return out;
}

TEST(hosts, the_slots_are_the_union_of_the_hosts_free_slots_once_each) {
  std::vector<BookingHost> hosts{host("ana"), host("ben")};
  Availability availability{{"ana", {true, {{at(2026, 1, 12, 8), at(2026, 1, 12, 8, 30)}}}},  // Ana at 09:00
                            {"ben", {true, {{at(2026, 1, 12, 8, 30), at(2026, 1, 12, 9)}}}}};  // Ben at 09:30
  auto slots = free_slots_of_hosts(hosts, availability, monday, monday, hosts[0].rules.zone, early_january);
  EXPECT_EQ(starts(slots), (std::vector{at(2026, 1, 12, 8), at(2026, 1, 12, 8, 30)})) << "each taken by one host only";
  availability["ben"].busy.push_back({at(2026, 1, 12, 8), at(2026, 1, 12, 8, 30)});
  slots = free_slots_of_hosts(hosts, availability, monday, monday, hosts[0].rules.zone, early_january);
  EXPECT_EQ(starts(slots), std::vector{at(2026, 1, 12, 8, 30)}) << "09:00 is taken by both";
}

TEST(hosts, a_host_whose_calendars_are_stale_or_unknown_offers_nothing) {
  std::vector<BookingHost> hosts{host("ana"), host("ben")};
  Availability availability{{"ana", {false, {}}}};  // Ben: no word at all
  EXPECT_TRUE(free_slots_of_hosts(hosts, availability, monday, monday, hosts[0].rules.zone, early_january).empty());
  EXPECT_EQ(choose_host(hosts, availability, {}, at(2026, 1, 12, 8), early_january), nullptr);
}

TEST(hosts, a_booking_goes_to_the_free_host_with_fewest_recent_meetings_then_the_first) {
  std::vector<BookingHost> hosts{host("ana"), host("ben"), host("carla")};
  Availability availability{{"ana", {true, {}}}, {"ben", {true, {}}}, {"carla", {true, {}}}};
  auto nine = at(2026, 1, 12, 8);
  EXPECT_EQ(choose_host(hosts, availability, {}, nine, early_january)->id, "ana") << "a tie: configuration order";
  EXPECT_EQ(choose_host(hosts, availability, {{"ana", 2}, {"ben", 1}, {"carla", 1}}, nine, early_january)->id, "ben");
  availability["ben"].busy.push_back({nine, nine + minutes(30)});
  EXPECT_EQ(choose_host(hosts, availability, {{"ana", 2}, {"ben", 1}, {"carla", 1}}, nine, early_january)->id, "carla")
      << "Ben is busy then";
}

TEST(hosts, a_time_that_is_no_hosts_slot_is_told_apart_from_a_taken_one) {
  std::vector<BookingHost> hosts{host("ana")};
  EXPECT_TRUE(is_any_hosts_slot(hosts, at(2026, 1, 12, 8), early_january));
  EXPECT_FALSE(is_any_hosts_slot(hosts, at(2026, 1, 12, 8, 15), early_january)) << "not on the half hour";
  EXPECT_FALSE(is_any_hosts_slot(hosts, at(2026, 1, 13, 8), early_january)) << "Tuesday has no hours";
}

}  // namespace
