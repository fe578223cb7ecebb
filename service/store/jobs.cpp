#include "store/jobs.hpp"

#include <pqxx/pqxx>

#include <algorithm>

#include "store/connect.hpp"
#include "store/pg_array.hpp"

namespace leadgate::store {

namespace {

std::vector<std::int64_t> ids_of(const pqxx::result& rows) {
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) ids.push_back(row[0].as<std::int64_t>());
  return ids;
}

std::vector<ClaimedJob> claim_jobs(pqxx::connection_base& connection, const std::string& worker,
                                   const std::string& kind, int limit, int lease_seconds) {
  pqxx::nontransaction statement(connection);
  std::vector<ClaimedJob> jobs;
  bool calendar = kind == "calendar";
  auto rows = calendar ? statement.exec_prepared("claim-calendar-jobs", worker, limit, lease_seconds)
                       : statement.exec_prepared("claim-jobs", worker, limit, lease_seconds, kind);
  auto claimed_here = std::chrono::steady_clock::now();
  for (const auto& row : rows) {
    ClaimedJob job;
    job.id = row[0].as<std::int64_t>();
    job.kind = row[1].as<std::string>();
    job.template_name = row[2].as<std::string>();
    job.recipient = row[3].as<std::string>();
    job.reply_to = row[4].get<std::string>();
    job.payload = row[5].as<std::string>();
    job.attempts = row[6].as<int>();
    job.message_id = row[7].as<std::string>();
    job.created_at = row[8].as<double>();
    job.claimed_at = row[9].as<double>();
    job.claimed_here = claimed_here;
    if (calendar) {
      job.calendar_etag = row[10].get<std::string>();
      job.superseded = row[11].as<bool>();
    } else {
      job.lead_owner = row[10].get<std::string>();
    }
    jobs.push_back(std::move(job));
  }
  // RETURNING has no order; send the oldest first.
  std::sort(jobs.begin(), jobs.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return jobs;
}

// When an attempt began, on the database's clock like every other time in
// the outbox.
double database_time(const ClaimedJob& job, std::chrono::steady_clock::time_point started) {
  return job.claimed_at + std::chrono::duration<double>(started - job.claimed_here).count();
}

void record_attempt(pqxx::connection_base& connection, const ClaimedJob& job, const std::string& worker,
                    AttemptOutcome outcome, const std::string& detail, std::chrono::steady_clock::time_point started,
                    double retry_in_seconds) {
  double started_at = database_time(job, started);
  pqxx::nontransaction statement(connection);
  switch (outcome) {
    case AttemptOutcome::sent:
      statement.exec_prepared("job-sent", job.id, worker, started_at, detail);
      break;
    case AttemptOutcome::retry:
      statement.exec_prepared("job-retry", job.id, worker, started_at, detail, retry_in_seconds);
      break;
    case AttemptOutcome::dead:
      statement.exec_prepared("job-dead", job.id, worker, started_at, detail);
      break;
  }
}

void record_written_attempt(pqxx::connection_base& connection, const ClaimedJob& job, const std::string& worker,
                            const std::string& detail, std::chrono::steady_clock::time_point started,
                            const std::optional<std::string>& etag) {
  pqxx::nontransaction statement(connection);
  statement.exec_prepared("calendar-job-sent", job.id, worker, database_time(job, started), detail, etag);
}

void release_jobs(pqxx::connection_base& connection, const std::vector<std::int64_t>& ids, const std::string& worker) {
  if (ids.empty()) return;
  pqxx::nontransaction statement(connection);
  ArrayLiteral array;
  for (auto id : ids) array.add(std::optional<std::string_view>(std::to_string(id)));
  statement.exec_prepared("release-jobs", array.text(), worker);
}

std::vector<std::int64_t> retry_dead_jobs(pqxx::connection_base& connection) {
  pqxx::nontransaction statement(connection);
  return ids_of(statement.exec_prepared("retry-dead-jobs"));
}

void notify_workers(pqxx::connection_base& connection) {
  pqxx::nontransaction statement(connection);
  statement.exec_prepared("notify-jobs");
}

// pqxx delivers NOTIFYs to receivers; we only need to know one came.
class Wakeup final : public pqxx::notification_receiver {
 public:
  explicit Wakeup(pqxx::connection_base& connection) : pqxx::notification_receiver(connection, "jobs") {}
  void operator()(const std::string&, int) override {}
};

}  // namespace

std::vector<JobRow> list_jobs(pqxx::connection_base& connection, const std::optional<std::string>& status, int limit) {
  pqxx::nontransaction statement(connection);
  std::vector<JobRow> rows;
  for (const auto& row : statement.exec_prepared("list-jobs", status, limit)) {
    rows.push_back(JobRow{row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                          row[3].as<std::string>(), row[4].as<int>(), row[5].as<std::string>(),
                          row[6].get<std::string>()});
  }
  return rows;
}

bool retry_job(pqxx::connection_base& connection, std::int64_t id) {
  bool queued = false;
  {
    pqxx::nontransaction statement(connection);
    queued = !statement.exec_prepared("retry-job", id).empty();
  }
  if (queued) notify_workers(connection);
  return queued;
}

struct JobQueue::Impl {
  std::string url;
  const Queries& queries;
  std::unique_ptr<pqxx::connection> connection;
  std::unique_ptr<Wakeup> wakeup;

  pqxx::connection_base& open() {
    if (connection && !connection->is_open()) {
      wakeup.reset();
      connection.reset();
    }
    if (!connection) {
      connection = open_connection(url, queries);
      wakeup = std::make_unique<Wakeup>(*connection);
    }
    return *connection;
  }

  // Runs `use` on the connection; a broken connection is dropped so the next
  // call opens a fresh one, and the error goes to the caller.
  template <typename Use>
  auto with_connection(Use use) {
    try {
      return use(open());
    } catch (const pqxx::broken_connection&) {
      wakeup.reset();
      connection.reset();
      throw;
    }
  }
};

JobQueue::JobQueue(std::string url, const Queries& queries)
    : impl_(new Impl{std::move(url), queries, nullptr, nullptr}) {}

JobQueue::~JobQueue() = default;

std::vector<ClaimedJob> JobQueue::claim(const std::string& worker, const std::string& kind, int limit,
                                        int lease_seconds) {
  return impl_->with_connection([&](auto& c) { return claim_jobs(c, worker, kind, limit, lease_seconds); });
}

void JobQueue::record(const ClaimedJob& job, const std::string& worker, AttemptOutcome outcome, const std::string& detail,
                      std::chrono::steady_clock::time_point started, double retry_in_seconds) {
  impl_->with_connection([&](auto& c) { record_attempt(c, job, worker, outcome, detail, started, retry_in_seconds); });
}

void JobQueue::record_written(const ClaimedJob& job, const std::string& worker, const std::string& detail,
                              std::chrono::steady_clock::time_point started, const std::optional<std::string>& etag) {
  impl_->with_connection([&](auto& c) { record_written_attempt(c, job, worker, detail, started, etag); });
}

void JobQueue::release(const std::vector<std::int64_t>& ids, const std::string& worker) {
  impl_->with_connection([&](auto& c) { release_jobs(c, ids, worker); });
}

void JobQueue::wait_for_jobs(std::chrono::milliseconds timeout) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout - seconds);
  impl_->with_connection([&](auto& c) { return c.await_notification(seconds.count(), micros.count()); });
}

std::vector<JobRow> JobQueue::list(const std::optional<std::string>& status, int limit) {
  return impl_->with_connection([&](auto& c) { return list_jobs(c, status, limit); });
}

std::vector<std::int64_t> JobQueue::retry(std::int64_t id) {
  return impl_->with_connection([&](auto& c) {
    return retry_job(c, id) ? std::vector<std::int64_t>{id} : std::vector<std::int64_t>{};
  });
}

std::vector<std::int64_t> JobQueue::retry_all_dead() {
  return impl_->with_connection([&](auto& c) {
    auto ids = retry_dead_jobs(c);
    notify_workers(c);
    return ids;
  });
}

}  // namespace leadgate::store
