#include "store/job_admin.hpp"

#include <pqxx/pqxx>

namespace leadgate::store {

async::Task<std::vector<JobRow>> PgJobAdmin::list(std::optional<std::string> status, int limit) {
  return database_.run<std::vector<JobRow>>(
      [status = std::move(status), limit](pqxx::connection_base& connection) {
        return list_jobs(connection, status, limit);
      });
}

async::Task<bool> PgJobAdmin::retry(std::int64_t id) {
  return database_.run<bool>([id](pqxx::connection_base& connection) { return retry_job(connection, id); });
}

}  // namespace leadgate::store
