#pragma once
// Leads: writing an accepted form post together with its e-mails.

#include <functional>
#include <optional>
#include <string>

#include "domain/estimate.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"
#include "store/notifier.hpp"

namespace leadgate::store {

struct NewEstimate {
  std::string id;  // generated before the first attempt, so a retry can't duplicate
  domain::EstimateSubmission submission;
  std::optional<std::string> spam_reason;  // set: stored as spam, no e-mails
  std::string consent_version;
  std::string client_address;
  std::optional<std::string> user_agent;
  std::string sales_inbox;
  std::string webhook_targets = "[]";  // JSON array of URLs that want lead.created
  int visitor_email_cap = 3;           // limits.emails_per_recipient_per_day
};

class LeadStore {
 public:
  LeadStore(Database& database, Notifier& notifier) : database_(database), notifier_(notifier) {}

  // Stores the lead and its two e-mail jobs atomically; with a claim, only
  // once per Idempotency-Key. `answer` is the claim's answer (or the stored
  // one on a repeat); without a claim, `fresh_answer` is returned as is.
  void save_estimate(NewEstimate estimate, std::optional<IdempotencyClaim> claim, Answer fresh_answer,
                     std::function<void(Outcome<Answer>)> done);

 private:
  Database& database_;
  Notifier& notifier_;
};

// A PostgreSQL text[] literal: {"a","b\"c"}.
std::string to_text_array(const std::vector<std::string>& items);

}  // namespace leadgate::store
