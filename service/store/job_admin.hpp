#pragma once
// The outbox as the admin API sees it (SPEC §4: dead jobs visible to
// `admin`, re-queueable): the same statements as `leadgate jobs`, run on
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
  explicit JobAdmin(Database& database) : database_(database) {}

  void list(std::optional<std::string> status, int limit, std::function<void(Outcome<std::vector<JobRow>>)> done);

  // False when the job is not dead, not waiting after a failed attempt (one
  // a worker holds, or one that has not failed yet), or does not exist.
  void retry(std::int64_t id, std::function<void(Outcome<bool>)> done);

 private:
  Database& database_;
};

}  // namespace leadgate::store
