#pragma once
// The outbox as the worker and `leadgate jobs` see it. The worker is one
// sequential loop, so it needs no executor: it owns one connection. Every
// statement is one short autocommit transaction, and none is open while a
// message is being sent.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/types.hxx>

#include "store/queries.hpp"

namespace leadgate::store {

struct ClaimedJob {
  std::int64_t id = 0;
  std::string kind;           // "email", "webhook" or "calendar"
  // E-mail template name, the webhook's event (lead.created, …), or
  // calendar_put / calendar_delete.
  std::string template_name;
  std::string recipient;  // an address, the webhook target's URL, or the host id of a calendar write
  std::optional<std::string> reply_to;
  std::optional<std::string> lead_owner;  // e-mails about a lead that has an owner
  std::string payload;  // JSON text
  int attempts = 0;     // including this one
  std::string message_id;
  double created_at = 0;  // Unix seconds
  double claimed_at = 0;  // Unix seconds, by the database's clock
  std::chrono::steady_clock::time_point claimed_here{};  // the same moment by this process's clock
  // Calendar writes only: the ETag stored for the booking's resource, and
  // whether a newer write of the booking has already been made.
  std::optional<std::string> calendar_etag;
  bool superseded = false;
};

enum class AttemptOutcome { sent, retry, dead };

struct JobRow {
  std::int64_t id = 0;
  std::string status;
  std::string template_name;
  std::string recipient;
  int attempts = 0;
  std::string run_at;
  std::optional<std::string> last_error;
};

// A connection of its own to the outbox, reopened after failures (a method
// that meets a broken connection throws; the next call reconnects). It
// LISTENs on "jobs" so that wait_for_jobs() returns within milliseconds of a
// commit that queued work.
class JobQueue {
 public:
  JobQueue(std::string url, const Queries& queries);
  ~JobQueue();

  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Leases up to `limit` due jobs of `kind` ("email", "webhook" or
  // "calendar") to `worker` for `lease_seconds`, oldest first. A calendar
  // job is due only once every older calendar job of its booking is done.
  std::vector<ClaimedJob> claim(const std::string& worker, const std::string& kind, int limit, int lease_seconds);

  // Records one attempt: sent, retry in `retry_in_seconds`, or dead; with
  // `detail` (the server's answer or the error) kept on the job and the
  // attempt, which began at `started` (a batch's jobs are claimed together
  // but sent one after the other). A worker whose lease was taken over
  // records nothing.
  void record(const ClaimedJob& job, const std::string& worker, AttemptOutcome outcome, const std::string& detail,
              std::chrono::steady_clock::time_point started, double retry_in_seconds = 0);

  // Records a calendar write that changed the booking's resource as sent,
  // and keeps `etag` (none after a delete, or when the server named none)
  // for the booking's next write.
  void record_written(const ClaimedJob& job, const std::string& worker, const std::string& detail,
                      std::chrono::steady_clock::time_point started, const std::optional<std::string>& etag);

  // Gives jobs back unsent, due at once, without counting the claim.
  void release(const std::vector<std::int64_t>& ids, const std::string& worker);

  // Returns when a NOTIFY jobs arrives or after `timeout`.
  void wait_for_jobs(std::chrono::milliseconds timeout);

  std::vector<JobRow> list(const std::optional<std::string>& status, int limit);

  // Re-queues one dead or waiting job (nothing if it is neither), or all
  // dead ones, and wakes the workers; returns the ids queued.
  std::vector<std::int64_t> retry(std::int64_t id);
  std::vector<std::int64_t> retry_all_dead();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Shared by `leadgate jobs` (JobQueue) and the admin API (JobAdmin).
// Newest first; `status` none for every status.
std::vector<JobRow> list_jobs(pqxx::connection_base& connection, const std::optional<std::string>& status, int limit);
// Queues a dead or waiting job to be sent at once with a fresh attempt
// count, and wakes the workers; false if the job is neither.
bool retry_job(pqxx::connection_base& connection, std::int64_t id);

}  // namespace leadgate::store
