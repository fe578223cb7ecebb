#include "handlers/slot_days.hpp"

#include <string>

#include "domain/slots.hpp"

namespace leadgate::handlers {

namespace {

// "Monday 14 December".
std::string day_label(const date::zoned_seconds& local) {
  auto day = date::format("%d", local);
  if (day.starts_with('0')) day.erase(0, 1);
  return date::format("%A ", local) + day + date::format(" %B", local);
}

}  // namespace

nlohmann::json slot_days(std::span<const domain::Slot> free, const date::time_zone* zone,
                         std::optional<date::sys_seconds> except) {
  nlohmann::json days = nlohmann::json::array();
  std::string shown_day;
  for (const auto& slot : free) {
    if (except && slot.start == *except) continue;
    auto local = date::make_zoned(zone, slot.start);
    auto label = day_label(local);
    if (label != shown_day) {
      days.push_back({{"day", label}, {"slots", nlohmann::json::array()}});
      shown_day = label;
    }
    days.back()["slots"].push_back({{"value", domain::rfc3339_utc(slot.start)},
                                    {"time", date::format("%H:%M", local)},
                                    {"id", "slot-" + std::to_string(slot.start.time_since_epoch().count())}});
  }
  return days;
}

DayRange days_from_today(const date::time_zone* zone, date::sys_seconds now, int count) {
  auto today = date::year_month_day(date::floor<date::days>(date::make_zoned(zone, now).get_local_time()));
  return {today, date::year_month_day(date::sys_days(today) + date::days(count - 1))};
}

}  // namespace leadgate::handlers
