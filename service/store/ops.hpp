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
  virtual ~OpsStore() = default;

  // The highest applied migration; 0 before the first `migrate`.
  virtual async::Task<int> schema_version() = 0;
  virtual async::Task<QueueStats> queue_stats() = 0;
};

class PgOpsStore final : public OpsStore {
 public:
  explicit PgOpsStore(Database& database) : database_(database) {}

  async::Task<int> schema_version() override;
  async::Task<QueueStats> queue_stats() override;

 private:
  Database& database_;
};

}  // namespace leadgate::store
