#pragma once
// Retention (docs/operations.md "Retention"): once a day one worker
// purges spam older than retention.spam_days and leads older than
// retention.lead_days, with everything attached to them, in batches of short
// transactions, and writes the run's counts to the audit log.
//
// One worker at a time, once a day: a row of maintenance_runs claimed with a
// lease (db/queries/retention.sql), as outbox jobs and calendar syncs are.
// A session advisory lock would keep two workers from purging at once, but
// not a restarted worker from purging twice the same day, nor say when the
// last purge was; and a lock held across the run would pin one connection
// for all of it. The row does all three, and survives restarts.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "store/queries.hpp"

namespace leadgate::store {

// What a run purges, each counted back from the run's start; none: kept.
struct RetentionCutoffs {
  std::optional<std::chrono::sys_seconds> spam;   // spam leads last changed, and bots' signups made, before
  std::optional<std::chrono::sys_seconds> leads;  // leads of any status made before
};

// retention.spam_days and retention.lead_days (0 keeps) from `started`.
RetentionCutoffs retention_cutoffs(std::chrono::sys_seconds started, int spam_days, int lead_days);

// The purge's view of PostgreSQL: one connection of its own, reopened after
// failures (a method that meets a broken connection throws; the next call
// reconnects), so a purge never waits behind the worker's other lanes nor
// makes them wait.
class RetentionStore {
 public:
  RetentionStore(std::string url, const Queries& queries);
  ~RetentionStore();

  RetentionStore(const RetentionStore&) = delete;
  RetentionStore& operator=(const RetentionStore&) = delete;

  // The retention run for `worker`, leased for `lease_time`: one left
  // unfinished by a worker that is gone, or a new one if the last finished
  // at least `interval` ago. Its start; none: not due, or another worker's.
  std::optional<std::chrono::sys_seconds> claim(const std::string& worker, std::chrono::seconds lease_time,
                                                std::chrono::seconds interval);

  enum class Purge { spam_leads, leads, newsletter_spam };

  // One transaction: up to `limit` rows of `what` older than `cutoff` are
  // deleted (leads with everything attached), their counts added to the
  // run's and its lease renewed. How many leads or signups went; none when
  // the lease was lost, and then nothing was deleted.
  std::optional<long> purge_batch(Purge what, const std::string& worker, std::chrono::sys_seconds cutoff, int limit,
                                  std::chrono::seconds lease_time);

  // Ends the run and writes its audit entry ("retention.purge", actor
  // "worker": its counts and `details`) in one transaction. The entry's
  // details; none when the lease was lost (the run is another worker's).
  std::optional<nlohmann::json> finish(const std::string& worker, const nlohmann::json& details);

  // Hands an unfinished run back: the next claim goes on with it.
  void release(const std::string& worker);

  struct Status {
    std::optional<std::chrono::sys_seconds> last_run_at;  // when the last run finished
    std::optional<std::string> running_on;                 // the worker holding a run under way
  };
  Status status();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct RetentionSettings {
  std::string worker_id;
  int spam_days = 30;
  int lead_days = 0;
  // Rows a transaction deletes: each holds its row locks for well under a
  // second, so a form post or a sales edit never waits long behind it.
  int batch_size = 1000;
  // How often a worker looks whether a run is due: soon after it starts,
  // then hourly, so a failed run is tried again within the hour.
  std::chrono::seconds check_interval{3600};
  // Renewed by every batch: a worker that dies mid-run frees it this long after.
  std::chrono::seconds lease_time{600};
  // A run is due this long after the last one finished. Less than a day, so
  // that with hourly checks the purge keeps its hour instead of starting an
  // hour later every day.
  std::chrono::seconds min_gap{std::chrono::hours(23)};
};

// The worker's retention lane (run on a thread of its own, as the calendar
// lanes are). Failures are logged and tried again at the next check; they
// never stop the worker.
class RetentionLane {
 public:
  RetentionLane(RetentionSettings settings, RetentionStore& store, const std::atomic<bool>& stopping);

  // Until `stopping`: a check at once, then one every check_interval. A run
  // under way when `stopping` is set is handed back after its current batch.
  void run();

  // One check: the run, if one is due and no other worker has it.
  void run_if_due();

 private:
  // Purges `what` older than `cutoff` batch by batch; false when the run
  // must end here (stopping, or the lease lost).
  bool purge(RetentionStore::Purge what, std::chrono::sys_seconds cutoff);

  RetentionSettings settings_;
  RetentionStore& store_;
  const std::atomic<bool>& stopping_;
};

}  // namespace leadgate::store
