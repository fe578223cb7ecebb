#pragma once
// booking.hosts: the people who take consultations, each with calendars
// that hold their busy time and, optionally, opening hours of their own.
//   hosts = [{id = "ana", name = "Ana Lima", email = "ana@studio.example",
//             calendars = ["https://dav.example/ana/work/"],
//             hours = {mon = ["09:00-12:00"], tue = ["13:00-17:00"]}}]
// A calendar URL may carry a password (https://user:pass@dav.example/…):
// such a list is refused in the file and given as LEADGATE_BOOKING_HOSTS.

#include <toml++/toml.h>

#include <vector>

#include "config/config.hpp"

namespace leadgate::config {

// A TOML array of host tables (throws std::invalid_argument).
std::vector<Host> read_hosts(const toml::node& node);

// Whether the file's booking.hosts holds a URL with a password.
bool hosts_carry_password(const toml::table& file);

// Unique slug ids, names, addresses, http(s) URLs; fails with ConfigError.
void validate_hosts(const Config::Booking& booking);

}  // namespace leadgate::config
