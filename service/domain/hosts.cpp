#include "domain/hosts.hpp"

#include <algorithm>

namespace leadgate::domain {

namespace {

const HostAvailability* availability_of(const Availability& availability, const BookingHost& host) {
  auto found = availability.find(host.id);
  return found == availability.end() || !found->second.calendars_fresh ? nullptr : &found->second;
}

}  // namespace

std::vector<Slot> free_slots_of_hosts(const std::vector<BookingHost>& hosts, const Availability& availability,
                                      date::year_month_day from, date::year_month_day to,
                                      const date::time_zone* visitor_zone, date::sys_seconds now) {
  std::vector<Slot> slots;
  for (const auto& host : hosts) {
    const auto* known = availability_of(availability, host);
    if (known == nullptr) continue;
    auto free = free_slots(host.rules, from, to, visitor_zone, now, known->busy);
    slots.insert(slots.end(), free.begin(), free.end());
  }
  std::sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
    return a.start != b.start ? a.start < b.start : a.end < b.end;
  });
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return slots;
}

bool is_any_hosts_slot(const std::vector<BookingHost>& hosts, date::sys_seconds start, date::sys_seconds now) {
  return std::any_of(hosts.begin(), hosts.end(),
                     [&](const BookingHost& host) { return is_offered(host.rules, start, now, {}); });
}

const BookingHost* choose_host(const std::vector<BookingHost>& hosts, const Availability& availability,
                               const std::map<std::string, std::int64_t>& recent, date::sys_seconds start,
                               date::sys_seconds now) {
  const BookingHost* chosen = nullptr;
  std::int64_t fewest = 0;
  for (const auto& host : hosts) {
    const auto* known = availability_of(availability, host);
    if (known == nullptr || !is_offered(host.rules, start, now, known->busy)) continue;
    auto count = recent.contains(host.id) ? recent.at(host.id) : 0;
    if (chosen == nullptr || count < fewest) {  // ties: the first in configuration order
      chosen = &host;
      fewest = count;
    }
  }
  return chosen;
}

}  // namespace leadgate::domain
