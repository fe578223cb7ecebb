#pragma once
// The database executor: `pool_size` connections, each owned by one thread,
// taking units of work from a queue. Callers (HTTP threads) never wait: they
// submit work and get the outcome through a callback on the pool's thread.
// Keeping this hand-off in one place is what lets a later change batch
// concurrent writes into one transaction without touching any handler.

#include <pqxx/types.hxx>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "async/callback.hpp"
#include "async/task.hpp"
#include "domain/error.hpp"
#include "store/queries.hpp"

namespace leadgate::store {

template <typename T>
using Outcome = std::variant<T, domain::Error>;

class Database {
 public:
  using Work = std::function<void(pqxx::connection_base&)>;
  using OnError = std::function<void(const domain::Error&)>;

  // Starts the threads; connections are opened on first use and reopened
  // after failures, so the service starts while PostgreSQL is down and
  // recovers by itself when it is back.
  Database(std::string url, int pool_size, const Queries& queries);
  ~Database();

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Queues `work`. If it throws, `on_error` gets the mapped error instead:
  // unavailable (503) when PostgreSQL cannot be reached, internal otherwise.
  // This is the one retry helper of the store: work that fails on a broken
  // connection is run once more on a fresh one (a restarted server leaves
  // every pooled connection stale), and work that PostgreSQL aborted as a
  // serialization failure or deadlock is run again, a few times. So work
  // must be safe to repeat: every write we make is keyed by an id generated
  // before the first attempt, and its transaction rolled back when it threw.
  void submit(Work work, OnError on_error);

  // Like submit(), with a typed result: `done` is called exactly once.
  template <typename T>
  void run(std::function<T(pqxx::connection_base&)> work, std::function<void(Outcome<T>)> done);

  // The same for a coroutine: its result, or the mapped domain::Error
  // thrown. The coroutine resumes on its own executor, not on the pool's
  // thread.
  template <typename T>
  async::Task<T> run(std::function<T(pqxx::connection_base&)> work);

  // Runs the queued work, then stops the threads. Idempotent.
  void stop();

 private:
  struct Job {
    Work work;
    OnError on_error;
  };

  // One pooled connection (or none while PostgreSQL is unreachable).
  struct Slot;

  void serve_connections();
  void execute(Slot& slot, Job& job);
  void connect(Slot& slot);

  std::string url_;
  const Queries& queries_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  // While PostgreSQL is unreachable, work fails at once instead of every job
  // waiting out its own connection attempt.
  std::chrono::steady_clock::time_point next_connect_attempt_{};
  std::vector<std::thread> threads_;
};

// A database URL with our connection defaults added (application name,
// connect timeout, TCP keepalives), unless the URL sets them itself.
std::string with_connection_defaults(const std::string& url);


template <typename T>
void Database::run(std::function<T(pqxx::connection_base&)> work, std::function<void(Outcome<T>)> done) {
  struct State {
    std::function<void(Outcome<T>)> done;
    bool finished = false;
  };
  auto state = std::make_shared<State>(State{std::move(done)});
  submit(
      [work = std::move(work), state](pqxx::connection_base& connection) {
        T value = work(connection);
        state->finished = true;
        state->done(Outcome<T>(std::move(value)));
      },
      [state](const domain::Error& error) {
        // The callback itself failed after the work succeeded: never report
        // the same unit twice.
        if (state->finished) return;
        state->finished = true;
        state->done(Outcome<T>(error));
      });
}

template <typename T>
async::Task<T> Database::run(std::function<T(pqxx::connection_base&)> work) {
  co_return async::value_or_throw(co_await async::from_callback<Outcome<T>>(
      [this, &work](std::function<void(Outcome<T>)> done) { run<T>(std::move(work), std::move(done)); }));
}

}  // namespace leadgate::store
