#include "handlers/booking_hosts.hpp"

#include "calendar/fetch.hpp"
#include "domain/consultation.hpp"

namespace leadgate::handlers {

domain::BookingRules booking_rules(const config::Config& config, const config::WeeklyHours& hours) {
  const auto& booking = config.booking;
  domain::BookingRules rules;
  rules.zone = domain::find_zone(booking.timezone);
  for (std::size_t day = 0; day < 7; ++day) {
    for (const auto& range : hours[day]) rules.hours[day].push_back({range.begin, range.end});
  }
  rules.slot_length = std::chrono::minutes(booking.slot_minutes);
  rules.buffer = std::chrono::minutes(booking.buffer_minutes);
  rules.min_notice = std::chrono::hours(booking.min_notice_hours);
  rules.horizon_days = booking.horizon_days;
  for (const auto& closed : booking.closed_dates) {
    if (auto parsed = domain::parse_date(closed)) rules.closed_dates.push_back(*parsed);
  }
  return rules;
}

BookingHosts booking_hosts(const config::Config& config) {
  auto hosts = std::make_shared<std::vector<domain::BookingHost>>();
  if (config.booking.hosts.empty()) {
    hosts->push_back({"business", "", config.mail.sales_inbox, {}, booking_rules(config, config.booking.hours)});
    return hosts;
  }
  for (const auto& host : config.booking.hosts) {
    std::vector<std::string> calendars;
    for (const auto& url : host.calendars) calendars.push_back(calendar::redacted(url));
    hosts->push_back({host.id, host.name, host.email, std::move(calendars),
                      booking_rules(config, host.hours.value_or(config.booking.hours))});
  }
  return hosts;
}

std::optional<BookingHosts> hosts_named(const BookingHosts& hosts, const std::optional<std::string>& id) {
  if (!id) return hosts;
  for (const auto& host : *hosts) {
    if (host.id == *id) return std::make_shared<const std::vector<domain::BookingHost>>(1, host);
  }
  return std::nullopt;
}

}  // namespace leadgate::handlers
