#pragma once
// The calendar sync lane's view of PostgreSQL: which calendar is due, the
// lease that keeps two workers from syncing one calendar at once, and the
// busy time each successful sync replaces as a whole. One connection of its
// own, reopened after failures, like the outbox's (store/jobs.hpp).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calendar/busy_time.hpp"
#include "store/queries.hpp"

namespace leadgate::store {

struct CalendarRef {
  std::string host_id;
  std::string calendar;  // the URL without credentials
};

class CalendarSyncs {
 public:
  CalendarSyncs(std::string url, const Queries& queries);
  ~CalendarSyncs();

  CalendarSyncs(const CalendarSyncs&) = delete;
  CalendarSyncs& operator=(const CalendarSyncs&) = delete;

  // A row for each calendar, so that one never synced shows as never synced.
  void ensure(const std::vector<CalendarRef>& calendars);

  // The lease on `calendar` for `worker`, if it is due (not attempted within
  // `interval`) and free; then the ETag its last successful sync stored.
  struct Lease {
    std::optional<std::string> etag;
  };
  std::optional<Lease> lease(const CalendarRef& calendar, const std::string& worker, std::chrono::seconds lease_time,
                             std::chrono::seconds interval);

  // A successful sync: `busy` replaces the calendar's busy time, or, with
  // nullopt (a feed unchanged since `etag`), the old busy time stays. False
  // when the lease was lost meanwhile: then nothing is recorded.
  bool synced(const CalendarRef& calendar, const std::string& worker, const std::optional<std::string>& etag,
              const std::optional<std::vector<calendar::Interval>>& busy);

  // A failed sync; how long ago the last successful one was (none: never).
  std::optional<std::chrono::seconds> failed(const CalendarRef& calendar, const std::string& worker,
                                             const std::string& error);

  // The ids of host `host_id`'s confirmed meetings (not over more than a
  // day ago): their copies in the host's calendars are not busy time.
  std::set<std::string> booking_ids(const std::string& host_id);

  // Seconds since each calendar of `host_ids` last synced (none: never).
  struct Age {
    CalendarRef calendar;
    std::optional<std::chrono::seconds> age;
  };
  std::vector<Age> ages(const std::vector<std::string>& host_ids);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadgate::store
