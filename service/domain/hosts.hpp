#pragma once
// Consultations with several hosts: the slots offered are the union of each
// host's free slots, and a booking goes to one host who is free then.
// A host whose calendars could not all be read recently offers nothing: a
// calendar we cannot read is never taken to be empty.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/slots.hpp"

namespace leadgate::domain {

struct BookingHost {
  std::string id;
  std::string name;
  std::string email;
  std::vector<std::string> calendars;  // as synced: each URL without its credentials
  BookingRules rules;                  // with the host's own hours
};

// What keeps one host from a slot, as PostgreSQL has it.
struct HostAvailability {
  bool calendars_fresh = false;  // every calendar synced within the staleness limit
  std::vector<Booked> busy;      // meetings and calendar busy time
};
using Availability = std::map<std::string, HostAvailability>;  // by host id

// Free slots of any host (see free_slots), sorted, without duplicates.
std::vector<Slot> free_slots_of_hosts(const std::vector<BookingHost>& hosts, const Availability& availability,
                                      date::year_month_day from, date::year_month_day to,
                                      const date::time_zone* visitor_zone, date::sys_seconds now);

// Whether any host's opening hours have a slot starting at `start` (busy
// time aside): a time that is not a slot at all is a 422, a slot that is
// taken a 409.
bool is_any_hosts_slot(const std::vector<BookingHost>& hosts, date::sys_seconds start, date::sys_seconds now);

// Who takes a meeting at `start`: among the hosts free then (fresh
// calendars, slot offered), the one with the fewest meetings booked in the
// last 30 days (`recent`), then the first in configuration order.
const BookingHost* choose_host(const std::vector<BookingHost>& hosts, const Availability& availability,
                               const std::map<std::string, std::int64_t>& recent, date::sys_seconds start,
                               date::sys_seconds now);

}  // namespace leadgate::domain
