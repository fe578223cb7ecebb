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
    // Read first, in a statement of its own: the batch's snapshot comes
    // after it (search.sql says why).
    auto oldest_open = transaction.exec_prepared1("oldest-open-transaction");
    if (!oldest_open[1].is_null()) warn_if_held_back(std::chrono::seconds(oldest_open[1].as<std::int64_t>()));
    auto rows = transaction.exec_prepared("index-lead-search", settings_.batch_size,
                                          static_cast<int>(settings_.delay.count()),
                                          oldest_open[0].get<std::string>());
    transaction.commit();
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<int>();
  });
}

// A session left open in a transaction stops the cursor (search.sql):
// searches stay right but read more leads directly the longer it lasts, so
// an operator hears of it, every ten minutes at most.
void SearchIndexLane::warn_if_held_back(std::chrono::seconds open_for) {
  constexpr auto noticeable = std::chrono::minutes(10);
  auto now = std::chrono::steady_clock::now();
  if (open_for < noticeable || (last_held_back_warning_ && now - *last_held_back_warning_ < noticeable)) return;
  last_held_back_warning_ = now;
  log::warn("search_index_held_back",
            {{"open_seconds", open_for.count()},
             {"effect", "leads stored since that transaction began are searched without the index until it ends"}});
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
