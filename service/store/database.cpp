#include "store/database.hpp"

#include <pqxx/pqxx>

#include "log/log.hpp"
#include "store/connect.hpp"
#include "store/sql_failure.hpp"

namespace leadgate::store {

namespace {

// More waiting work than this means PostgreSQL is far behind: answer 503 at
// once rather than let memory and latency grow without bound.
constexpr std::size_t max_queued_jobs = 4096;

constexpr auto reconnect_pause = std::chrono::seconds(1);

// A serialization failure or deadlock is another transaction's bad timing;
// past this many tries in a row it is a pattern worth a 503 and a log line.
constexpr int max_conflict_attempts = 4;

domain::Error unavailable(std::string log_detail) {
  domain::Error error(domain::ErrorKind::unavailable,
                      "The service is briefly unavailable. Please try again in a few seconds.",
                      std::move(log_detail));
  error.with_header("Retry-After", "5");
  return error;
}

domain::Error internal(std::string log_detail) {
  return domain::Error(domain::ErrorKind::internal, "An unexpected error occurred.", std::move(log_detail));
}

bool has_option(const std::string& url, std::string_view name) {
  return url.find(std::string(name) + "=") != std::string::npos;
}

}  // namespace

struct Database::Slot {
  std::unique_ptr<pqxx::connection> connection;
};

std::string with_connection_defaults(const std::string& url) {
  // Values as they appear in a URI query and in a key=value string.
  struct Default {
    std::string_view name;
    std::string_view in_uri;
    std::string_view in_conninfo;
  };
  static constexpr Default defaults[] = {
      {"application_name", "leadgate", "leadgate"},
      {"connect_timeout", "5", "5"},
      {"keepalives_idle", "30", "30"},
      {"keepalives_interval", "10", "10"},
      {"keepalives_count", "3", "3"},
      // Timestamps leave PostgreSQL in UTC, whatever the server's default.
      {"options", "-c%20TimeZone%3DUTC", "'-c TimeZone=UTC'"},
  };
  bool is_uri = url.starts_with("postgres://") || url.starts_with("postgresql://");
  std::string result = url;
  for (const auto& option : defaults) {
    if (has_option(url, option.name)) continue;
    if (is_uri) {
      result += result.find('?') == std::string::npos ? '?' : '&';
    } else if (!result.empty()) {
      result += ' ';
    }
    result += std::string(option.name) + "=" + std::string(is_uri ? option.in_uri : option.in_conninfo);
  }
  return result;
}

Database::Database(std::string url, int pool_size, const Queries& queries)
    : url_(std::move(url)), queries_(queries) {
  threads_.reserve(static_cast<std::size_t>(pool_size));
  for (int i = 0; i < pool_size; ++i) threads_.emplace_back([this] { serve_connections(); });
}

Database::~Database() { stop(); }

void Database::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void Database::submit(Work work, OnError on_error) {
  {
    std::lock_guard lock(mutex_);
    if (!stopping_ && queue_.size() < max_queued_jobs) {
      queue_.push_back(Job{std::move(work), std::move(on_error)});
      wake_.notify_one();
      return;
    }
  }
  on_error(unavailable("database work queue full or stopping"));
}

void Database::connect(Slot& slot) {
  {
    std::lock_guard lock(mutex_);
    if (std::chrono::steady_clock::now() < next_connect_attempt_) return;
  }
  try {
    slot.connection = open_connection(url_, queries_);
  } catch (const std::exception& error) {
    std::lock_guard lock(mutex_);
    next_connect_attempt_ = std::chrono::steady_clock::now() + reconnect_pause;
    log::warn("database_connect_failed", {{"detail", error.what()}});
  }
}

void Database::serve_connections() {
  Slot slot;
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to do
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    execute(slot, job);
  }
}

void Database::execute(Slot& slot, Job& job) {
  auto& connection = slot.connection;
  bool reconnected = false;
  for (int attempt = 1;; ++attempt) {
    if (!connection) connect(slot);
    if (!connection) {
      job.on_error(unavailable("no database connection"));
      return;
    }
    try {
      job.work(*connection);
      return;
    } catch (const pqxx::failure& error) {
      auto failure = classify(error);
      switch (failure.kind) {
        case SqlFailureKind::in_doubt:
          // The commit may or may not have happened: never run it again blindly.
          connection.reset();
          job.on_error(unavailable(std::string("commit outcome unknown: ") + error.what()));
          return;
        case SqlFailureKind::unreachable:
          connection.reset();
          if (!std::exchange(reconnected, true)) continue;
          job.on_error(unavailable(error.what()));
          return;
        case SqlFailureKind::retryable:
          if (attempt < max_conflict_attempts) {
            log::info("database_retry", {{"detail", error.what()}, {"attempt", attempt}});
            continue;
          }
          job.on_error(unavailable(std::string("conflicts on every attempt: ") + error.what()));
          return;
        case SqlFailureKind::unique:
        case SqlFailureKind::exclusion:
        case SqlFailureKind::other:
          log::error("database_error", {{"sqlstate", failure.sqlstate}, {"detail", error.what()}});
          job.on_error(internal(error.what()));
          return;
      }
    } catch (const domain::Error& error) {
      job.on_error(error);  // a typed outcome the work decided on (conflict, …)
      return;
    } catch (const std::exception& error) {
      log::error("database_work_failed", {{"detail", error.what()}});
      job.on_error(internal(error.what()));
      return;
    }
  }
}

}  // namespace leadgate::store
