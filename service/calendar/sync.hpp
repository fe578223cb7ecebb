#pragma once
// The worker's calendar lane: every booking.calendar_sync_seconds it reads
// each host's calendars and stores their busy time in PostgreSQL, where
// /v1/booking/slots reads it. A calendar that cannot be read keeps its last
// busy time, and once it has not been read for
// booking.calendar_max_stale_seconds its host offers no slots (the slots
// side decides that; this side logs it and shows the age in /metrics).

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "calendar/fetch.hpp"
#include "config/config.hpp"
#include "metrics/metrics.hpp"
#include "store/calendar_syncs.hpp"

namespace leadgate::calendar {

struct SyncSettings {
  std::string worker_id;
  std::chrono::seconds interval{300};
  std::chrono::seconds max_stale{900};
  int horizon_days = 60;
  const date::time_zone* business_zone = nullptr;
  FetchLimits limits;
  // mail.from's address: events whose UID is a booking's UID made with it
  // are leadgate's own meetings, not busy time.
  std::string mail_from;
};

class SyncLane {
 public:
  SyncLane(const config::Config& config, std::string worker_id, store::CalendarSyncs& store,
           metrics::Metrics& metrics, const std::atomic<bool>& stopping);

  // Until `stopping`: syncs what is due, then looks again a second later.
  void run();

  // One pass over every calendar (what run() repeats).
  void sync_due();

 private:
  struct Calendar {
    store::CalendarRef ref;
    std::string url;  // with its credentials
  };

  void sync(const Calendar& calendar, const std::optional<std::string>& etag);
  void report_ages();

  SyncSettings settings_;
  std::vector<Calendar> calendars_;
  std::vector<std::string> host_ids_;
  store::CalendarSyncs& store_;
  metrics::Metrics& metrics_;
  const std::atomic<bool>& stopping_;
};

}  // namespace leadgate::calendar
