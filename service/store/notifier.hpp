#pragma once
// Tells workers that new outbox jobs were committed (NOTIFY jobs), from a
// connection and thread of its own, at most once per interval however many
// commits asked. Keeping NOTIFY out of the inserting transaction matters:
// there it holds a database-wide lock until the commit is flushed, so form
// posts would commit one at a time. Workers also poll, so a NOTIFY lost while
// PostgreSQL is away only delays delivery.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "async/task.hpp"
#include "store/queries.hpp"

namespace leadgate::store {

class Notifier {
 public:
  Notifier(std::string url, const Queries& queries,
           std::chrono::microseconds interval = std::chrono::milliseconds(1));
  ~Notifier();

  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // Asks for a NOTIFY soon; never blocks on the database.
  void poke();

  // Sends what is pending, then stops the thread.
  void stop();

 private:
  void run();

  std::string url_;
  const Queries& queries_;
  std::chrono::microseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool pending_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

// Awaits a store write and wakes the workers when `queued(result)` says it
// queued something. A coroutine of its own on purpose: the store functions
// that call it build their database work as a lambda that takes their
// arguments by move, and GCC 12 miscompiles such an init-capture of a
// coroutine's own parameter (the moved string still points into the frame).
template <typename T, typename Queued>
async::Task<T> poke_when(Notifier& notifier, async::Task<T> write, Queued queued) {
  auto result = co_await std::move(write);
  if (queued(result)) notifier.poke();
  co_return result;
}

}  // namespace leadgate::store
