#pragma once
// Leads: writing accepted form posts together with their e-mails. Posts that
// arrive while others are being written share one statement and one commit
// (group commit): the database's cost per transaction, not HTTP, is what
// limits how many leads a second can be stored.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/estimate.hpp"
#include "domain/spam_score.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"
#include "store/notifier.hpp"

namespace leadgate::store {

struct NewEstimate {
  std::string id;  // generated before the first attempt, so a retry can't duplicate
  domain::EstimateSubmission submission;
  domain::SpamScore spam;  // the service's signals; the statement may add `duplicate`
  std::optional<std::string> message_digest;  // of the message (domain::message_digest), for `duplicate`
  std::string consent_version;
  std::string client_address;
  std::optional<std::string> user_agent;
};

// What every stored lead queues besides itself: the same for all leads, so
// a group's statement takes it once.
struct LeadMail {
  std::string sales_inbox;
  std::string webhook_targets = "[]";  // JSON array of URLs that want lead.created
  int visitor_email_cap = 3;           // limits.emails_per_recipient_per_day
  int spam_threshold = 50;             // forms.spam_threshold: at or above, stored as spam, nothing queued
  std::string assignees = "{}";        // text[] literal: sales.assign's turns (config::assignment_turns)
};

struct GroupCommit {
  std::size_t max_rows = 32;                   // leads in one statement at most
  std::chrono::microseconds linger{200};       // a small group waits this long for more
  int writers = 2;                             // statements in flight at once
};

// What the estimate handler needs (a unit test passes an in-memory one).
class LeadStore {
 public:
  virtual ~LeadStore() = default;

  // Stores the lead and its e-mail jobs atomically and returns only once
  // they are committed: `fresh_answer`, or the first answer to the same
  // Idempotency-Key.
  virtual async::Task<Answer> save_estimate(NewEstimate estimate, std::optional<IdempotencyClaim> claim,
                                            Answer fresh_answer) = 0;
};

class PgLeadStore final : public LeadStore {
 public:
  PgLeadStore(Database& database, Notifier& notifier, LeadMail mail, GroupCommit group = {})
      : database_(database), notifier_(notifier), mail_(std::move(mail)), group_(group) {}

  // With an Idempotency-Key claim, alone in a transaction of its own;
  // without, in the next group.
  async::Task<Answer> save_estimate(NewEstimate estimate, std::optional<IdempotencyClaim> claim,
                                    Answer fresh_answer) override;

 private:
  void enqueue(NewEstimate estimate, std::optional<IdempotencyClaim> claim, Answer fresh_answer,
               std::function<void(Outcome<Answer>)> done);

  struct Pending {
    NewEstimate estimate;
    Answer answer;
    std::function<void(Outcome<Answer>)> done;
    std::optional<domain::Error> error;  // this lead alone could not be stored
  };

  // Schedules a writer if fewer than group_.writers are at work.
  void wake_writer();
  // Takes the next group: up to max_rows, waiting up to `linger` for more
  // when `linger` is true.
  std::vector<Pending> next_group(bool linger);
  void write_group();
  struct WriterRelease;  // gives a writer's slot back

  Database& database_;
  Notifier& notifier_;
  const LeadMail mail_;
  GroupCommit group_;
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<Pending> pending_;
  int writers_ = 0;
};

}  // namespace leadgate::store
