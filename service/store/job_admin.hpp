#pragma once
// The outbox as the admin API sees it (dead jobs visible to `admin`,
// re-queueable): the same statements as `leadgate jobs`, run on
// serve's pool.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/jobs.hpp"

namespace leadgate::store {

class JobAdmin {
 public:
  virtual ~JobAdmin() = default;

  virtual async::Task<std::vector<JobRow>> list(std::optional<std::string> status, int limit) = 0;

  // False when the job is not dead, not waiting after a failed attempt (one
  // a worker holds, or one that has not failed yet), or does not exist.
  virtual async::Task<bool> retry(std::int64_t id) = 0;
};

class PgJobAdmin final : public JobAdmin {
 public:
  explicit PgJobAdmin(Database& database) : database_(database) {}

  async::Task<std::vector<JobRow>> list(std::optional<std::string> status, int limit) override;
  async::Task<bool> retry(std::int64_t id) override;

 private:
  Database& database_;
};

}  // namespace leadgate::store
