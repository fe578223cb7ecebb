#include "store/leads.hpp"

#include <pqxx/pqxx>

namespace leadgate::store {

namespace {

void insert_estimate(pqxx::transaction_base& transaction, const NewEstimate& estimate) {
  const auto& lead = estimate.submission;
  const auto& source = lead.attribution;
  try {
    transaction.exec_prepared("insert-estimate", estimate.id, estimate.spam_reason, lead.name, lead.email,
                              lead.message, lead.company, lead.phone, lead.budget, lead.timeline,
                              to_text_array(lead.services), lead.consent_marketing, estimate.consent_version,
                              source.page_url, source.referrer, source.utm_source, source.utm_medium,
                              source.utm_campaign, source.utm_term, source.utm_content, estimate.client_address,
                              estimate.user_agent, estimate.sales_inbox, estimate.webhook_targets,
                              estimate.visitor_email_cap);
  } catch (const pqxx::unique_violation& error) {
    // Our own id already there: an earlier attempt committed just before its
    // connection broke. The lead and its e-mails are stored; nothing to add.
    if (std::string_view(error.what()).find("leads_pkey") == std::string_view::npos) throw;
  }
}

}  // namespace

std::string to_text_array(const std::vector<std::string>& items) {
  std::string literal = "{";
  for (const auto& item : items) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : item) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

void LeadStore::save_estimate(NewEstimate estimate, std::optional<IdempotencyClaim> claim, Answer fresh_answer,
                              std::function<void(Outcome<Answer>)> done) {
  bool queues_email = !estimate.spam_reason.has_value();
  auto notify_then_done = [this, queues_email, done = std::move(done)](Outcome<Answer> outcome) {
    if (queues_email && std::holds_alternative<Answer>(outcome) && !std::get<Answer>(outcome).replayed) {
      notifier_.poke();
    }
    done(std::move(outcome));
  };
  database_.run<Answer>(
      [estimate = std::move(estimate), claim = std::move(claim),
       fresh_answer = std::move(fresh_answer)](pqxx::connection_base& connection) {
        if (!claim) {
          // One statement in autocommit: a single round trip, and atomic.
          pqxx::nontransaction statement(connection);
          insert_estimate(statement, estimate);
          return fresh_answer;
        }
        pqxx::work transaction(connection);
        auto answer = run_once(transaction, *claim, [&] { insert_estimate(transaction, estimate); });
        transaction.commit();
        return answer;
      },
      std::move(notify_then_done));
}

}  // namespace leadgate::store
