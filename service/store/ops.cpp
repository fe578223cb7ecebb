#include "store/ops.hpp"

#include <pqxx/pqxx>

namespace leadgate::store {

void OpsStore::schema_version(std::function<void(Outcome<int>)> done) {
  database_.run<int>(
      [](pqxx::connection_base& connection) {
        pqxx::nontransaction query(connection);
        // Before the first migration there is no table to ask.
        if (!query.exec_prepared1("schema-table-exists")[0].as<bool>()) return 0;
        return query.exec_prepared1("schema-version")[0].as<int>();
      },
      std::move(done));
}

void OpsStore::queue_stats(std::function<void(Outcome<QueueStats>)> done) {
  database_.run<QueueStats>(
      [](pqxx::connection_base& connection) {
        pqxx::nontransaction query(connection);
        auto row = query.exec_prepared1("queue-stats");
        return QueueStats{row[0].as<std::int64_t>(), row[1].as<std::int64_t>(), row[2].as<double>()};
      },
      std::move(done));
}

}  // namespace leadgate::store
