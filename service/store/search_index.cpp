#include "store/search_index.hpp"

#include <thread>

#include "log/log.hpp"

namespace leadgate::store {

SearchIndexLane::SearchIndexLane(std::string url, const Queries& queries, SearchIndexSettings settings,
                                 const std::atomic<bool>& stopping)
    : connection_(std::move(url), queries), settings_(settings), stopping_(stopping) {}

std::optional<int> SearchIndexLane::index_batch() {
  return connection_.with([&](pqxx::connection_base& connection) -> std::optional<int> {
    pqxx::work transaction(connection);
    auto rows = transaction.exec_prepared("index-lead-search", settings_.batch_size,
                                          static_cast<int>(settings_.delay.count()));
    transaction.commit();
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<int>();
  });
}

void SearchIndexLane::run() {
  while (!stopping_.load()) {
    bool more = false;
    try {
      auto indexed = index_batch();
      // A full batch: there may be more right behind it.
      more = indexed && *indexed == settings_.batch_size;
    } catch (const std::exception& error) {
      log::warn("search_index_failed", {{"detail", error.what()}, {"effect", "tried again at the next round"}});
    }
    if (more) continue;
    auto next = std::chrono::steady_clock::now() + settings_.interval;
    while (!stopping_.load() && std::chrono::steady_clock::now() < next) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace leadgate::store
