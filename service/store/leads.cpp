#include "store/leads.hpp"

#include <pqxx/pqxx>

#include "log/log.hpp"
#include "store/pg_array.hpp"
#include "store/sql_failure.hpp"

namespace leadgate::store {

namespace {

using Ref = std::reference_wrapper<const NewEstimate>;

// One insert-estimates statement for all of `leads`. A unique violation on
// our own ids means an earlier attempt committed them just before its
// connection broke: they are stored, nothing to add (only ever for a single
// lead: a group that fails is written again one by one).
void insert_estimates(pqxx::transaction_base& transaction, const std::vector<Ref>& leads, const LeadMail& mail) {
  std::vector<ArrayLiteral> columns(23);
  for (const NewEstimate& estimate : leads) {
    const auto& lead = estimate.submission;
    const auto& source = lead.attribution;
    auto optional = [](const std::optional<std::string>& value) {
      return value ? std::optional<std::string_view>(*value) : std::nullopt;
    };
    std::string services = text_array(lead.services);
    std::string reasons = estimate.spam.reasons_array();
    std::string score = std::to_string(estimate.spam.score());
    std::optional<std::string_view> values[] = {
        estimate.id,        reasons,                        lead.name,
        lead.email,         lead.message,                   optional(lead.company),
        optional(lead.phone), optional(lead.budget),        optional(lead.timeline),
        services,           std::nullopt,                   estimate.consent_version,
        optional(source.page_url), optional(source.referrer), optional(source.utm_source),
        optional(source.utm_medium), optional(source.utm_campaign), optional(source.utm_term),
        optional(source.utm_content), estimate.client_address, optional(estimate.user_agent),
        score,              optional(estimate.message_digest)};
    for (std::size_t column = 0; column < columns.size(); ++column) {
      if (column == 10) {
        columns[column].add(lead.consent_marketing);
      } else {
        columns[column].add(values[column]);
      }
    }
  }
  std::vector<std::string> texts;
  for (const auto& column : columns) texts.push_back(column.text());
  try {
    transaction.exec_prepared("insert-estimates", pqxx::prepare::make_dynamic_params(texts), mail.sales_inbox,
                              mail.webhook_targets, mail.visitor_email_cap, mail.spam_threshold,
                              domain::points_of(domain::SpamReason::duplicate), mail.assignees);
  } catch (const pqxx::unique_violation& error) {
    if (leads.size() > 1 || classify(error).constraint != "leads_pkey") throw;
  }
}

}  // namespace

async::Task<Answer> PgLeadStore::save_estimate(NewEstimate estimate, std::optional<IdempotencyClaim> claim,
                                               Answer fresh_answer) {
  co_return async::value_or_throw(
      co_await async::from_callback<Outcome<Answer>>([&](std::function<void(Outcome<Answer>)> done) {
        enqueue(std::move(estimate), std::move(claim), std::move(fresh_answer), std::move(done));
      }));
}

void PgLeadStore::enqueue(NewEstimate estimate, std::optional<IdempotencyClaim> claim, Answer fresh_answer,
                              std::function<void(Outcome<Answer>)> done) {
  bool queues_email = !estimate.spam.is_spam(mail_.spam_threshold);
  if (!claim) {
    bool group_full = false;
    {
      std::lock_guard lock(mutex_);
      pending_.push_back(Pending{std::move(estimate), std::move(fresh_answer), std::move(done), std::nullopt});
      group_full = pending_.size() >= group_.max_rows;
    }
    // A lingering writer waits only for a full group (or its linger to end):
    // waking it for every arrival would be a futex wake and a context switch
    // per lead, to find the group still short.
    if (group_full) arrived_.notify_one();
    wake_writer();
    return;
  }
  database_.run<Answer>(
      [this, estimate = std::move(estimate), claim = std::move(claim)](pqxx::connection_base& connection) {
        pqxx::work transaction(connection);
        auto answer =
            run_once(transaction, *claim, [&] { insert_estimates(transaction, {std::cref(estimate)}, mail_); });
        transaction.commit();
        return answer;
      },
      [this, queues_email, done = std::move(done)](Outcome<Answer> outcome) {
        if (queues_email && std::holds_alternative<Answer>(outcome) && !std::get<Answer>(outcome).replayed) {
          notifier_.poke();
        }
        done(std::move(outcome));
      });
}

void PgLeadStore::wake_writer() {
  {
    std::lock_guard lock(mutex_);
    if (pending_.empty() || writers_ >= group_.writers) return;
    ++writers_;
  }
  write_group();
}

std::vector<PgLeadStore::Pending> PgLeadStore::next_group(bool linger) {
  std::unique_lock lock(mutex_);
  if (linger && pending_.size() < group_.max_rows && group_.linger.count() > 0) {
    arrived_.wait_for(lock, group_.linger, [this] { return pending_.size() >= group_.max_rows; });
  }
  auto count = std::min(pending_.size(), group_.max_rows);
  std::vector<Pending> group(std::make_move_iterator(pending_.begin()),
                             std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(count)));
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(count));
  return group;
}

struct PgLeadStore::WriterRelease {
  PgLeadStore& store;
  explicit WriterRelease(PgLeadStore& owner) : store(owner) {}
  WriterRelease(const WriterRelease&) = delete;
  WriterRelease& operator=(const WriterRelease&) = delete;
  ~WriterRelease() {
    {
      std::lock_guard lock(store.mutex_);
      --store.writers_;
    }
    store.wake_writer();
  }
};

// One unit of database work per group. The group is taken when a pool
// thread runs it (so it holds whatever arrived meanwhile) and kept in
// shared state, so a retry on a fresh connection writes the same group.
void PgLeadStore::write_group() {
  struct State {
    std::optional<std::vector<Pending>> group;
    bool finished = false;
  };
  auto state = std::make_shared<State>();
  auto finish = [this, state](const std::optional<domain::Error>& failure) {
    if (state->finished) return;
    state->finished = true;
    // The writer's slot comes back whatever a continuation does: a slot
    // lost here would be lost for good.
    WriterRelease release{*this};
    bool queued_email = false;
    for (auto& pending : *state->group) {
      if (failure || pending.error) {
        pending.done(failure ? *failure : *pending.error);
      } else {
        queued_email = queued_email || !pending.estimate.spam.is_spam(mail_.spam_threshold);
        pending.done(pending.answer);
      }
    }
    if (queued_email) notifier_.poke();
  };
  database_.submit(
      [this, state, finish](pqxx::connection_base& connection) {
        if (!state->group) state->group = next_group(true);
        auto& group = *state->group;
        if (!group.empty()) {
          std::vector<Ref> leads;
          for (const auto& pending : group) leads.push_back(std::cref(pending.estimate));
          try {
            pqxx::nontransaction statement(connection);
            insert_estimates(statement, leads, mail_);
          } catch (const pqxx::sql_error& error) {
            if (group.size() == 1 || classify(error).kind == SqlFailureKind::unreachable) throw;
            // One bad row must not fail its neighbours: write them one by one.
            log::warn("group_commit_split", {{"rows", group.size()}, {"sqlstate", error.sqlstate()}});
            for (auto& pending : group) {
              try {
                pqxx::nontransaction single(connection);
                insert_estimates(single, {std::cref(pending.estimate)}, mail_);
              } catch (const pqxx::sql_error& single_error) {
                if (classify(single_error).kind == SqlFailureKind::unreachable) throw;
                log::error("lead_not_stored", {{"sqlstate", single_error.sqlstate()}, {"detail", single_error.what()}});
                pending.error = domain::Error(domain::ErrorKind::internal, "An unexpected error occurred.");
              }
            }
          }
        }
        finish(std::nullopt);
      },
      [this, state, finish](const domain::Error& error) {
        // PostgreSQL unreachable (or the queue full) before the group was
        // taken: the leads waiting now get the same answer, so that none of
        // them waits for a writer that cannot write.
        if (!state->group) state->group = next_group(false);
        finish(error);
      });
}

}  // namespace leadgate::store
