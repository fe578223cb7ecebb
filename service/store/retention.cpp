#include "store/retention.hpp"

#include <pqxx/pqxx>

#include <thread>
#include <vector>

#include "domain/slots.hpp"
#include "log/log.hpp"
#include "store/lane_connection.hpp"
#include "store/pg_array.hpp"
#include "store/unix_time.hpp"

namespace leadgate::store {

namespace {

// The row of maintenance_runs this lane claims.
constexpr const char* run_name = "retention";

// Each kind of purge's key in the run's counts, its audit entry and its log line.
const char* count_key(RetentionStore::Purge what) {
  switch (what) {
    case RetentionStore::Purge::spam_leads: return "spam_leads";
    case RetentionStore::Purge::leads: return "leads";
    case RetentionStore::Purge::newsletter_spam: return "newsletter_spam";
  }
  return "";
}

nlohmann::json instant_or_null(const std::optional<std::chrono::sys_seconds>& t) {
  return t ? nlohmann::json(domain::rfc3339_utc(*t)) : nlohmann::json(nullptr);
}

std::optional<std::chrono::sys_seconds> instant(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return from_epoch_seconds(field.as<std::int64_t>());
}

long long milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

RetentionCutoffs retention_cutoffs(std::chrono::sys_seconds started, int spam_days, int lead_days) {
  auto back = [started](int days) -> std::optional<std::chrono::sys_seconds> {
    if (days <= 0) return std::nullopt;
    return started - std::chrono::days(days);
  };
  return RetentionCutoffs{back(spam_days), back(lead_days)};
}

struct RetentionStore::Impl {
  LaneConnection connection;

  template <typename Use>
  auto with_connection(Use use) {
    return connection.with(use);
  }
};

RetentionStore::RetentionStore(std::string url, const Queries& queries)
    : impl_(new Impl{LaneConnection(std::move(url), queries)}) {}

RetentionStore::~RetentionStore() = default;

std::optional<std::chrono::sys_seconds> RetentionStore::claim(const std::string& worker,
                                                              std::chrono::seconds lease_time,
                                                              std::chrono::seconds interval) {
  return impl_->with_connection([&](pqxx::connection_base& connection) {
    pqxx::work transaction(connection);
    auto rows = transaction.exec_prepared("claim-maintenance-run", run_name, worker,
                                          static_cast<double>(lease_time.count()),
                                          static_cast<double>(interval.count()));
    transaction.commit();
    return rows.empty() ? std::nullopt : instant(rows[0][0]);
  });
}

std::optional<long> RetentionStore::purge_batch(Purge what, const std::string& worker,
                                                std::chrono::sys_seconds cutoff, int limit,
                                                std::chrono::seconds lease_time) {
  return impl_->with_connection([&](pqxx::connection_base& connection) -> std::optional<long> {
    pqxx::work transaction(connection);
    transaction.exec_prepared("purge-lock-timeout");
    nlohmann::json counts;
    long purged = 0;
    if (what == Purge::newsletter_spam) {
      purged = transaction.exec_prepared1("purge-newsletter-spam", epoch_seconds(cutoff), limit)[0].as<long>();
    } else {
      // Picked (and locked) first, then deleted by id: both purges of leads
      // share one delete, which takes everything attached along.
      std::vector<std::string> ids;
      auto pick = what == Purge::spam_leads ? "pick-spam-leads" : "pick-old-leads";
      for (const auto& row : transaction.exec_prepared(pick, epoch_seconds(cutoff), limit)) {
        ids.push_back(row[0].as<std::string>());
      }
      if (ids.empty()) return 0L;  // nothing to delete, nothing to count: rolled back
      transaction.exec_prepared("hold-lead-search");
      auto row = transaction.exec_prepared1("purge-leads", text_array(ids));
      purged = row[0].as<long>();
      counts["bookings"] = row[1].as<long>();
    }
    if (purged == 0) return 0L;
    counts[count_key(what)] = purged;
    // Only the lease holder records the batch; without the lease the
    // transaction rolls back, deletes included.
    if (transaction.exec_prepared("maintenance-run-progress", run_name, worker,
                                  static_cast<double>(lease_time.count()), counts.dump())
            .empty()) {
      return std::nullopt;
    }
    transaction.commit();
    return purged;
  });
}

std::optional<nlohmann::json> RetentionStore::finish(const std::string& worker, const nlohmann::json& details) {
  return impl_->with_connection([&](pqxx::connection_base& connection) -> std::optional<nlohmann::json> {
    pqxx::work transaction(connection);
    auto rows = transaction.exec_prepared("finish-maintenance-run", run_name, worker);
    if (rows.empty()) return std::nullopt;
    // Every count, zeros included: an entry says what the run looked for.
    nlohmann::json entry = {{"spam_leads", 0}, {"leads", 0}, {"bookings", 0}, {"newsletter_spam", 0}};
    entry.update(nlohmann::json::parse(rows[0][0].as<std::string>()));
    entry.update(details);
    entry["started_at"] = instant_or_null(instant(rows[0][1]));
    transaction.exec_prepared("insert-audit", std::string("worker"), std::string("retention.purge"), entry.dump());
    transaction.commit();
    return entry;
  });
}

void RetentionStore::release(const std::string& worker) {
  impl_->with_connection([&](pqxx::connection_base& connection) {
    pqxx::work transaction(connection);
    transaction.exec_prepared("release-maintenance-run", run_name, worker);
    transaction.commit();
  });
}

RetentionStore::Status RetentionStore::status() {
  return impl_->with_connection([&](pqxx::connection_base& connection) {
    pqxx::nontransaction query(connection);
    auto rows = query.exec_prepared("maintenance-run-status", run_name);
    Status status;
    if (rows.empty()) return status;
    status.last_run_at = instant(rows[0][0]);
    if (!rows[0][1].is_null()) status.running_on = rows[0][1].as<std::string>();
    return status;
  });
}

RetentionLane::RetentionLane(RetentionSettings settings, RetentionStore& store, const std::atomic<bool>& stopping)
    : settings_(std::move(settings)), store_(store), stopping_(stopping) {}

void RetentionLane::run() {
  if (settings_.spam_days <= 0 && settings_.lead_days <= 0) {
    log::info("retention_off", {{"detail", "retention.spam_days and retention.lead_days are 0: nothing is purged"}});
    return;
  }
  while (!stopping_.load()) {
    try {
      run_if_due();
    } catch (const std::exception& error) {
      // PostgreSQL away, a lock not granted in time: what was purged stays
      // purged and counted, and the next check goes on with the run.
      log::error("retention_failed", {{"detail", error.what()}, {"effect", "tried again within the hour"}});
      try {
        store_.release(settings_.worker_id);
      } catch (const std::exception&) {
        // The lease runs out by itself.
      }
    }
    auto next = std::chrono::steady_clock::now() + settings_.check_interval;
    while (!stopping_.load() && std::chrono::steady_clock::now() < next) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

void RetentionLane::run_if_due() {
  auto started = store_.claim(settings_.worker_id, settings_.lease_time, settings_.min_gap);
  if (!started) {
    auto status = store_.status();
    log::Fields fields{{"last_run_at", instant_or_null(status.last_run_at)}};
    if (status.running_on) fields["running_on"] = *status.running_on;
    log::info("retention_not_due", fields);
    return;
  }
  auto began = std::chrono::steady_clock::now();
  auto cutoffs = retention_cutoffs(*started, settings_.spam_days, settings_.lead_days);
  log::info("retention_started",
            {{"worker", settings_.worker_id},
             {"cutoffs", {{"spam", instant_or_null(cutoffs.spam)}, {"leads", instant_or_null(cutoffs.leads)}}}});
  // Spam first: a spam lead past both cut-offs counts as spam.
  if (cutoffs.spam && !purge(RetentionStore::Purge::spam_leads, *cutoffs.spam)) return;
  if (cutoffs.leads && !purge(RetentionStore::Purge::leads, *cutoffs.leads)) return;
  if (cutoffs.spam && !purge(RetentionStore::Purge::newsletter_spam, *cutoffs.spam)) return;
  nlohmann::json details = {
      {"cutoffs", {{"spam", instant_or_null(cutoffs.spam)}, {"leads", instant_or_null(cutoffs.leads)}}},
      {"worker", settings_.worker_id}};
  auto entry = store_.finish(settings_.worker_id, details);
  if (!entry) {
    log::warn("retention_lease_lost", {{"worker", settings_.worker_id}});
    return;
  }
  log::Fields fields = log::Fields::parse(entry->dump());
  fields["ms"] = milliseconds_since(began);
  log::info("retention_purged", fields);
}

bool RetentionLane::purge(RetentionStore::Purge what, std::chrono::sys_seconds cutoff) {
  while (true) {
    if (stopping_.load()) {
      store_.release(settings_.worker_id);
      log::info("retention_paused", {{"detail", "the worker is stopping: the next claim goes on with the run"}});
      return false;
    }
    auto purged = store_.purge_batch(what, settings_.worker_id, cutoff, settings_.batch_size, settings_.lease_time);
    if (!purged) {
      log::warn("retention_lease_lost", {{"worker", settings_.worker_id}});
      return false;
    }
    // A short batch is the last: what is left is locked by someone else
    // (skipped), for the next run.
    if (*purged < settings_.batch_size) return true;
  }
}

}  // namespace leadgate::store
