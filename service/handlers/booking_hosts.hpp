#pragma once
// The hosts of booking.hosts as the booking code sees them; with none
// configured, one implicit host, the business itself ("business"), with
// booking.hours and no calendars.

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "domain/hosts.hpp"

namespace leadgate::handlers {

using BookingHosts = std::shared_ptr<const std::vector<domain::BookingHost>>;

// booking.* configuration as the slot rules of domain/slots.hpp, with `hours`.
domain::BookingRules booking_rules(const config::Config& config, const config::WeeklyHours& hours);

BookingHosts booking_hosts(const config::Config& config);

// `hosts` itself without `id`, the one host with that id, or nothing when
// no host has it.
std::optional<BookingHosts> hosts_named(const BookingHosts& hosts, const std::optional<std::string>& id);

}  // namespace leadgate::handlers
