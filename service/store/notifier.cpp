#include "store/notifier.hpp"

#include <pqxx/pqxx>

#include <memory>

#include "log/log.hpp"
#include "store/connect.hpp"

namespace leadgate::store {

Notifier::Notifier(std::string url, const Queries& queries, std::chrono::microseconds interval)
    : url_(std::move(url)), queries_(queries), interval_(interval), thread_([this] { run(); }) {}

Notifier::~Notifier() { stop(); }

void Notifier::poke() {
  {
    std::lock_guard lock(mutex_);
    if (pending_) return;
    pending_ = true;
  }
  wake_.notify_one();
}

void Notifier::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void Notifier::run() {
  std::unique_ptr<pqxx::connection> connection;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return pending_ || stopping_; });
      if (!pending_) return;
      pending_ = false;
    }
    try {
      if (!connection) connection = open_connection(url_, queries_);
      pqxx::nontransaction statement(*connection);
      // No row is written, so this commits without a WAL flush.
      statement.exec_prepared("notify-jobs");
    } catch (const std::exception& error) {
      connection.reset();
      log::debug("notify_failed", {{"detail", error.what()}});
    }
    // Commits that arrive meanwhile share the next NOTIFY.
    std::this_thread::sleep_for(interval_);
  }
}

}  // namespace leadgate::store
