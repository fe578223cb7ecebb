#pragma once
// What /readyz and /metrics read from the database.

#include <cstdint>
#include <functional>

#include "store/database.hpp"

namespace leadgate::store {

struct QueueStats {
  std::int64_t queued = 0;
  std::int64_t dead = 0;
  double oldest_due_seconds = 0;  // age of the oldest job that is due and unsent
};

class OpsStore {
 public:
  explicit OpsStore(Database& database) : database_(database) {}

  // The highest applied migration; 0 before the first `migrate`.
  void schema_version(std::function<void(Outcome<int>)> done);
  void queue_stats(std::function<void(Outcome<QueueStats>)> done);

 private:
  Database& database_;
};

}  // namespace leadgate::store
