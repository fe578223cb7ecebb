#include "calendar/sync.hpp"

#include <thread>

#include "domain/booking_uid.hpp"
#include "log/log.hpp"
#include "mail/mime.hpp"

namespace leadgate::calendar {

namespace {

using Clock = std::chrono::system_clock;

// Longer than one request may take: a worker that dies mid-sync frees the
// calendar for another after this.
std::chrono::seconds lease_time(const FetchLimits& limits) { return limits.timeout * 2 + std::chrono::seconds(30); }

// What a sync reads: from a day ago (a meeting in progress) to past the
// booking horizon, with a day to spare on each side for the zones.
Window sync_window(int horizon_days) {
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(Clock::now());
  return Window{now - std::chrono::days(1), now + std::chrono::days(horizon_days + 2)};
}

long long milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

SyncLane::SyncLane(const config::Config& config, std::string worker_id, store::CalendarSyncs& store,
                   metrics::Metrics& metrics, const std::atomic<bool>& stopping)
    : settings_{std::move(worker_id),
                std::chrono::seconds(config.booking.calendar_sync_seconds),
                std::chrono::seconds(config.booking.calendar_max_stale_seconds),
                config.booking.horizon_days,
                date::locate_zone(config.booking.timezone),
                {},
                mail::parse_mailbox(config.mail.from).address},
      store_(store),
      metrics_(metrics),
      stopping_(stopping) {
  for (const auto& host : config.booking.hosts) {
    if (!host.calendars.empty()) host_ids_.push_back(host.id);
    for (const auto& url : host.calendars) calendars_.push_back(Calendar{{host.id, redacted(url)}, url});
  }
  std::vector<std::string> hosts(host_ids_);
  metrics_.expect_calendar_hosts(hosts);
}

void SyncLane::run() {
  if (calendars_.empty()) return;
  bool ready = false;
  while (!stopping_.load()) {
    try {
      if (!ready) {
        std::vector<store::CalendarRef> refs;
        for (const auto& calendar : calendars_) refs.push_back(calendar.ref);
        store_.ensure(refs);
        ready = true;
      }
      sync_due();
    } catch (const std::exception& error) {
      // PostgreSQL away: the next pass tries again; slots fail closed
      // meanwhile, as the calendars age.
      log::error("calendar_lane_failed", {{"detail", error.what()}});
    }
    for (int tenth = 0; tenth < 10 && !stopping_.load(); ++tenth) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

void SyncLane::sync_due() {
  for (const auto& calendar : calendars_) {
    if (stopping_.load()) return;
    auto lease = store_.lease(calendar.ref, settings_.worker_id, lease_time(settings_.limits), settings_.interval);
    if (lease) sync(calendar, lease->etag);
  }
  report_ages();
}

void SyncLane::sync(const Calendar& calendar, const std::optional<std::string>& etag) {
  auto started = std::chrono::steady_clock::now();
  log::Fields fields{{"host", calendar.ref.host_id}, {"calendar", calendar.ref.calendar}};
  try {
    auto fetched = fetch_calendar(calendar.url, sync_window(settings_.horizon_days), etag, settings_.limits);
    std::optional<std::vector<Interval>> busy;
    if (fetched.changed) {
      // This host's own leadgate meeting in their calendar (their write_to,
      // or the invitation they accepted) is the booking itself, which
      // already blocks its time: read as busy time it would block it twice.
      // Another host's meeting that this host attends is busy time like any
      // other, and so is a cancelled one until the calendar catches up.
      auto own = store_.booking_ids(calendar.ref.host_id);
      auto ours = [this, &own](std::string_view uid) {
        return domain::is_booking_uid(uid, settings_.mail_from) && own.contains(std::string(uid.substr(0, 36)));
      };
      busy = busy_intervals(fetched.calendars, sync_window(settings_.horizon_days), *settings_.business_zone, ours);
    }
    if (!store_.synced(calendar.ref, settings_.worker_id, fetched.etag, busy)) {
      log::warn("calendar_lease_lost", fields);
      return;
    }
    metrics_.count_calendar_sync(calendar.ref.host_id, fetched.changed ? "synced" : "unchanged");
    fields["intervals"] = busy ? nlohmann::json(busy->size()) : nlohmann::json(nullptr);
    fields["changed"] = fetched.changed;
    fields["ms"] = milliseconds_since(started);
    log::info("calendar_synced", fields);
  } catch (const std::exception& error) {  // FetchFailed, Unreadable: the message names no password
    metrics_.count_calendar_sync(calendar.ref.host_id, "failed");
    fields["detail"] = error.what();
    auto since_success = store_.failed(calendar.ref, settings_.worker_id, error.what());
    if (!since_success || *since_success > settings_.max_stale) {
      fields["effect"] = "the host offers no slots until this calendar is read";
      log::error("calendar_stale", fields);
    } else {
      log::warn("calendar_sync_failed", fields);
    }
  }
}

// Per host, the age of its least recently synced configured calendar (none:
// one never synced).
void SyncLane::report_ages() {
  std::map<std::pair<std::string, std::string>, std::optional<std::chrono::seconds>> synced;
  for (const auto& age : store_.ages(host_ids_)) synced[{age.calendar.host_id, age.calendar.calendar}] = age.age;
  std::map<std::string, std::optional<std::chrono::seconds>> oldest;
  for (const auto& calendar : calendars_) {
    auto found = synced.find({calendar.ref.host_id, calendar.ref.calendar});
    auto age = found == synced.end() ? std::nullopt : found->second;
    auto [host, first] = oldest.try_emplace(calendar.ref.host_id, age);
    if (!first && host->second && (!age || *age > *host->second)) host->second = age;
  }
  for (const auto& [host, age] : oldest) metrics_.set_calendar_age(host, age);
}

}  // namespace leadgate::calendar
