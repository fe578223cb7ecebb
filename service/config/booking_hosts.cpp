#include "config/booking_hosts.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "calendar/http_client.hpp"
#include "config/toml_reading.hpp"

namespace leadgate::config {

using namespace reading;

namespace {

constexpr std::string_view weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr std::string_view host_shape = "expected a list of {id, name, email, calendars, write_to, hours} tables";

// {mon = ["09:00-12:00"], …}: a day it does not name has no hours.
WeeklyHours read_weekly_hours(const toml::node& node) {
  const toml::table* table = node.as_table();
  if (table == nullptr) throw std::invalid_argument("a host's hours are a table like {mon = [\"09:00-17:00\"]}");
  WeeklyHours hours;
  for (auto&& [key, value] : *table) {
    auto day = std::find(std::begin(weekdays), std::end(weekdays), key.str());
    if (day == std::end(weekdays)) throw std::invalid_argument("a host's hours are named by mon, tue, … sun");
    hours[static_cast<std::size_t>(day - std::begin(weekdays))] = parse_hours(read_text_list(value));
  }
  return hours;
}

Host read_host(const toml::node& node) {
  Host host;
  read_table(node, host_shape, "a host",
             {{"id", [&](const toml::node& value) { host.id = read_text(value); }},
              {"name", [&](const toml::node& value) { host.name = read_text(value); }},
              {"email", [&](const toml::node& value) { host.email = read_text(value); }},
              {"calendars", [&](const toml::node& value) { host.calendars = read_text_list(value); }},
              {"write_to", [&](const toml::node& value) { host.write_to = read_text(value); }},
              {"hours", [&](const toml::node& value) { host.hours = read_weekly_hours(value); }}});
  return host;
}

bool is_slug(const std::string& id) {
  return !id.empty() && id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

// A feed may be given as webcal://, which calendar apps use for .ics links.
bool is_calendar_url(const std::string& url) {
  return is_http_url(url) || url.starts_with("webcal://") || url.starts_with("webcals://");
}

}  // namespace

std::vector<Host> read_hosts(const toml::node& node) {
  const toml::array* array = node.as_array();
  if (array == nullptr) throw std::invalid_argument(std::string(host_shape));
  std::vector<Host> hosts;
  for (const auto& element : *array) hosts.push_back(read_host(element));
  return hosts;
}

bool hosts_carry_password(const toml::table& file) {
  const toml::array* hosts = file.at_path("booking.hosts").as_array();
  if (hosts == nullptr) return false;
  for (const auto& element : *hosts) {
    const toml::table* host = element.as_table();
    if (host == nullptr) continue;
    if (auto url = (*host)["write_to"].value<std::string>(); url && url_has_password(*url)) return true;
    if (const toml::array* calendars = (*host)["calendars"].as_array()) {
      for (const auto& calendar : *calendars) {
        if (auto url = calendar.value<std::string>(); url && url_has_password(*url)) return true;
      }
    }
  }
  return false;
}

void validate_hosts(const Config::Booking& booking) {
  std::set<std::string> ids;
  for (const auto& host : booking.hosts) {
    if (!is_slug(host.id)) fail("booking.hosts", "each host needs an id of 1-40 letters a-z, digits or '-'");
    if (!ids.insert(host.id).second) fail("booking.hosts", "two hosts have the id \"" + host.id + "\"");
    if (host.name.empty() || host.name.size() > 200) fail("booking.hosts", "each host needs a name of 1-200 characters");
    if (!is_operator_mailbox(host.email) || host.email.find('<') != std::string::npos) {
      fail("booking.hosts", "each host needs an e-mail address");
    }
    // Each calendar is known by its URL as shown (without credentials or
    // tokens): two that look alike would share one sync, and one of them
    // would never be read.
    std::set<std::string> shown;
    for (const auto& url : host.calendars) {
      if (!is_calendar_url(url)) fail("booking.hosts", "each calendar must be an http(s) or webcal URL");
      if (!shown.insert(calendar::redacted(url)).second) {
        fail("booking.hosts", "host \"" + host.id + "\" has two calendars that differ only in their credentials or " +
                                  "in a short query value (" + calendar::redacted(url) + ")");
      }
    }
    if (!host.write_to.empty() && !is_http_url(host.write_to)) {
      fail("booking.hosts", "write_to must be an http(s) URL of a CalDAV collection");
    }
  }
  // Staleness is judged against the interval: a limit within one interval
  // would call every host stale between two syncs.
  if (booking.calendar_max_stale_seconds <= booking.calendar_sync_seconds) {
    fail("booking.calendar_max_stale_seconds", "must be more than booking.calendar_sync_seconds");
  }
}

}  // namespace leadgate::config
