#include <nlohmann/json.hpp>

#include <iostream>
#include <string>

#include "calendar/busy_time.hpp"
#include "calendar/fetch.hpp"
#include "commands/commands.hpp"
#include "domain/slots.hpp"

namespace leadgate::commands {

int calendar_busy(const config::Config& config, std::string url, int days, const std::optional<std::string>& etag,
                  int timeout_seconds) {
  // "-": the URL (and the password in it) comes from stdin, not from the
  // command line that every user of the machine can read in `ps`.
  if (url == "-") {
    if (!std::getline(std::cin, url)) throw StartupError("expected the calendar URL on stdin");
    auto last = url.find_last_not_of(" \t\r\n");
    url.erase(last == std::string::npos ? 0 : last + 1);
    url.erase(0, url.find_first_not_of(" \t"));
  }
  const date::time_zone& business_zone = *date::locate_zone(config.booking.timezone);
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  calendar::Window window{now, now + std::chrono::days(days)};
  calendar::FetchLimits limits;
  limits.timeout = std::chrono::seconds(timeout_seconds);
  auto shown = calendar::redacted(url);

  calendar::Fetched fetched;
  std::vector<calendar::Interval> busy;
  try {
    fetched = calendar::fetch_calendar(url, window, etag, limits);
    if (fetched.changed) busy = calendar::busy_intervals(fetched.calendars, window, business_zone);
  } catch (const calendar::FetchFailed& error) {
    std::cerr << "leadgate: " << error.what() << '\n';
    return 1;
  } catch (const calendar::Unreadable& error) {
    std::cerr << "leadgate: " << shown << ": " << error.what() << '\n';
    return 1;
  }

  for (const auto& interval : busy) {
    nlohmann::json line = {{"start", domain::rfc3339_utc(interval.start)}, {"end", domain::rfc3339_utc(interval.end)}};
    std::cout << line.dump() << '\n';
  }
  nlohmann::json summary = {{"calendar", shown},
                            {"changed", fetched.changed},
                            {"intervals", busy.size()},
                            {"etag", fetched.etag ? nlohmann::json(*fetched.etag) : nlohmann::json(nullptr)}};
  // A calendar's bytes are not ours to trust: invalid UTF-8 in an ETag is
  // replaced rather than thrown about.
  std::cout << summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  return 0;
}

}  // namespace leadgate::commands
