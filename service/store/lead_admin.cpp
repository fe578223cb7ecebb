#include "store/lead_admin.hpp"

#include <pqxx/pqxx>

namespace leadgate::store {

namespace {

std::optional<LeadDetail> read_detail(pqxx::transaction_base& transaction, const std::string& id) {
  auto rows = transaction.exec_prepared("get-lead", id);
  if (rows.empty()) return std::nullopt;
  return LeadDetail{rows[0][0].as<std::string>(), rows[0][1].as<std::string>(), rows[0][2].as<std::string>()};
}

// A released lead gets what it would have had if it had not been spam,
// once (release-lead); the history says what went out.
void release(pqxx::transaction_base& transaction, const std::string& id, const std::string& actor,
             const LeadMail& mail) {
  auto queued = transaction.exec_prepared1("release-lead", id, mail.sales_inbox, mail.webhook_targets,
                                           mail.visitor_email_cap);
  if (queued[0].is_null()) return;  // released before: nothing again
  std::string what = "queued " + queued[0].as<std::string>();
  if (auto webhooks = queued[1].as<int>(); webhooks > 0) what += " and " + std::to_string(webhooks) + " webhook(s)";
  transaction.exec_prepared("insert-lead-event", id, actor, std::string("notices"), std::optional<std::string>(), what);
}

void drop_visitor_emails(pqxx::transaction_base& transaction, const std::string& id, const std::string& actor) {
  auto dropped = transaction.exec_prepared1("drop-visitor-emails", id)[0].as<int>();
  if (dropped == 0) return;
  transaction.exec_prepared("insert-lead-event", id, actor, std::string("notices"), std::optional<std::string>(),
                            "dropped " + std::to_string(dropped) + " unsent e-mail(s) to the visitor");
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
  auto write = database_.run<std::optional<LeadDetail>>(
      [id = std::move(id), change = std::move(change), actor = std::move(actor),
       &mail = mail_](pqxx::connection_base& connection) -> std::optional<LeadDetail> {
        pqxx::work transaction(connection);
        auto current = transaction.exec_prepared("lock-lead", id);
        if (current.empty()) return std::nullopt;
        auto old_status = current[0][0].as<std::string>();
        auto old_note = current[0][1].get<std::string>();
        auto old_owner = current[0][2].get<std::string>();
        auto new_status = change.status.value_or(old_status);
        auto new_note = change.note ? *change.note : old_note;
        auto new_owner = change.owner ? *change.owner : old_owner;
        transaction.exec_prepared("update-lead", id, new_status, new_note, new_owner);
        if (new_status != old_status) {
          transaction.exec_prepared("insert-lead-event", id, actor, std::string("status"), old_status, new_status);
          if (old_status == "spam") release(transaction, id, actor, mail);
          if (new_status == "spam") drop_visitor_emails(transaction, id, actor);
        }
        if (new_note != old_note) {
          transaction.exec_prepared("insert-lead-event", id, actor, std::string("note"), old_note, new_note);
        }
        if (new_owner != old_owner) {
          transaction.exec_prepared("insert-lead-event", id, actor, std::string("owner"), old_owner, new_owner);
        }
        auto detail = read_detail(transaction, id);
        transaction.commit();
        return detail;
      });
  // A release queues e-mails: the workers hear of it at once.
  return poke_when(notifier_, std::move(write), [](const std::optional<LeadDetail>& detail) { return detail.has_value(); });
}

async::Task<std::string> PgLeadAdmin::timeline(std::string id, std::string zone) {
  return database_.run<std::string>([id = std::move(id), zone = std::move(zone)](pqxx::connection_base& connection) {
    pqxx::nontransaction query(connection);
    return query.exec_prepared1("lead-timeline", id, zone)[0].as<std::string>();
  });
}

}  // namespace leadgate::store
