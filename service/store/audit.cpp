#include "store/audit.hpp"

#include <pqxx/pqxx>

#include "log/log.hpp"

namespace leadgate::store {

void PgAuditLog::record(std::string actor, std::string action, std::string details_json) {
  database_.submit(
      [actor = std::move(actor), action = std::move(action),
       details = std::move(details_json)](pqxx::connection_base& connection) {
        pqxx::nontransaction statement(connection);
        statement.exec_prepared("insert-audit", actor, action, details);
      },
      [](const domain::Error& error) { log::error("audit_failed", {{"detail", error.log_detail()}}); });
}

}  // namespace leadgate::store
