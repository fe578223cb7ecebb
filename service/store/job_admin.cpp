#include "store/job_admin.hpp"

#include <pqxx/pqxx>

namespace leadgate::store {

void JobAdmin::list(std::optional<std::string> status, int limit,
                    std::function<void(Outcome<std::vector<JobRow>>)> done) {
  database_.run<std::vector<JobRow>>(
      [status = std::move(status), limit](pqxx::connection_base& connection) {
        return list_jobs(connection, status, limit);
      },
      std::move(done));
}

void JobAdmin::retry(std::int64_t id, std::function<void(Outcome<bool>)> done) {
  database_.run<bool>([id](pqxx::connection_base& connection) { return retry_job(connection, id); },
                      std::move(done));
}

}  // namespace leadgate::store
