#include "store/lead_admin.hpp"

#include <pqxx/pqxx>

namespace leadgate::store {

namespace {

std::optional<LeadDetail> read_detail(pqxx::transaction_base& transaction, const std::string& id) {
  auto rows = transaction.exec_prepared("get-lead", id);
  if (rows.empty()) return std::nullopt;
  return LeadDetail{rows[0][0].as<std::string>(), rows[0][1].as<std::string>()};
}

}  // namespace

async::Task<std::optional<LeadDetail>> PgLeadAdmin::get(std::string id) {
  return database_.run<std::optional<LeadDetail>>(
      [id = std::move(id)](pqxx::connection_base& connection) {
        pqxx::nontransaction query(connection);
        return read_detail(query, id);
      });
}

async::Task<std::optional<LeadDetail>> PgLeadAdmin::change(std::string id, LeadChange change, std::string actor) {
  return database_.run<std::optional<LeadDetail>>(
      [id = std::move(id), change = std::move(change),
       actor = std::move(actor)](pqxx::connection_base& connection) -> std::optional<LeadDetail> {
        pqxx::work transaction(connection);
        auto current = transaction.exec_prepared("lock-lead", id);
        if (current.empty()) return std::nullopt;
        auto old_status = current[0][0].as<std::string>();
        auto old_note = current[0][1].get<std::string>();
        auto new_status = change.status.value_or(old_status);
        auto new_note = change.note ? *change.note : old_note;
        transaction.exec_prepared("update-lead", id, new_status, new_note);
        if (new_status != old_status) {
          transaction.exec_prepared("insert-lead-event", id, actor, std::string("status"), old_status, new_status);
        }
        if (new_note != old_note) {
          transaction.exec_prepared("insert-lead-event", id, actor, std::string("note"), old_note, new_note);
        }
        auto detail = read_detail(transaction, id);
        transaction.commit();
        return detail;
      });
}

}  // namespace leadgate::store
