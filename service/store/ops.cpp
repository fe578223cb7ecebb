#include "store/ops.hpp"

#include <pqxx/pqxx>

namespace leadgate::store {

async::Task<int> PgOpsStore::schema_version() {
  return database_.run<int>(
      [](pqxx::connection_base& connection) {
        pqxx::nontransaction query(connection);
        // Before the first migration there is no table to ask.
        if (!query.exec_prepared1("schema-table-exists")[0].as<bool>()) return 0;
        return query.exec_prepared1("schema-version")[0].as<int>();
      });
}

async::Task<QueueStats> PgOpsStore::queue_stats() {
  return database_.run<QueueStats>(
      [](pqxx::connection_base& connection) {
        pqxx::nontransaction query(connection);
        auto row = query.exec_prepared1("queue-stats");
        return QueueStats{row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), row[2].as<double>()};
      });
}

}  // namespace leadgate::store
