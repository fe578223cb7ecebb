#pragma once
// Search indexing: the worker copies each new lead's text into lead_search,
// whose trigram index answers the lead list's `q` (migration 0017), in
// batches and off the form post's path. Leads not indexed yet are searched
// directly (db/queries/leads.sql, lead-fresh-match), so a lead is found from the
// moment it is stored; the batches only keep that remainder small.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "store/lane_connection.hpp"
#include "store/queries.hpp"

namespace leadgate::store {

struct SearchIndexSettings {
  int batch_size = 2000;  // leads a transaction indexes
  // A lead is indexed once it is this old, and once every transaction that
  // began before it has ended (search.sql): the cursor never passes an
  // uncommitted lead.
  std::chrono::seconds delay{60};
  // Between rounds once everything old enough is indexed.
  std::chrono::seconds interval{5};
};

// The worker's search lane (a thread of its own with its own connection).
// Failures are logged and tried again at the next round.
class SearchIndexLane {
 public:
  SearchIndexLane(std::string url, const Queries& queries, SearchIndexSettings settings,
                  const std::atomic<bool>& stopping);

  // Until `stopping`: batch after batch while there are leads to index,
  // then one round every `interval`.
  void run();

  // One batch: how many leads it indexed; none when another worker holds
  // the cursor.
  std::optional<int> index_batch();

 private:
  void warn_if_held_back(std::chrono::seconds open_for);

  LaneConnection connection_;
  SearchIndexSettings settings_;
  const std::atomic<bool>& stopping_;
  std::optional<std::chrono::steady_clock::time_point> last_held_back_warning_;
};

}  // namespace leadgate::store
