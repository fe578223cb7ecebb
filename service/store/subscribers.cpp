#include "store/subscribers.hpp"

#include <pqxx/pqxx>

#include "domain/digest.hpp"
#include "store/webhooks.hpp"

namespace leadgate::store {

namespace {

constexpr std::string_view form = "newsletter";

std::optional<domain::SubscriberState> parse_state(const std::string& text) {
  if (text == "pending") return domain::SubscriberState::pending;
  if (text == "confirmed") return domain::SubscriberState::confirmed;
  if (text == "unsubscribed") return domain::SubscriberState::unsubscribed;
  return std::nullopt;
}

void record_consent(pqxx::transaction_base& transaction, const std::string& subscriber, std::string_view action,
                    const std::string& consent_version, const std::string& client_address) {
  transaction.exec_prepared("record-consent", subscriber, std::string(form), std::string(action), consent_version,
                            client_address);
}

// Returns whether a confirmation e-mail was queued.
bool apply_signup(pqxx::transaction_base& transaction, const NewSignup& signup) {
  const auto& visitor = signup.signup;
  const auto& source = visitor.attribution;
  if (signup.is_spam) {
    transaction.exec_prepared("insert-newsletter-spam", signup.id, visitor.email, visitor.name,
                              signup.spam.first_reason(), source.page_url, source.referrer, source.utm_source,
                              source.utm_medium, source.utm_campaign, source.utm_term, source.utm_content,
                              signup.client_address, signup.spam.score(), signup.spam.reasons_array());
    return false;
  }
  std::string subscriber = signup.id;
  auto current = transaction.exec_prepared("lock-subscriber", visitor.email, signup.cooldown_minutes);
  std::optional<domain::SubscriberState> state;
  bool within_cooldown = false;
  if (!current.empty()) {
    subscriber = current[0][0].as<std::string>();
    state = parse_state(current[0][1].as<std::string>());
    within_cooldown = current[0][2].as<bool>();
  }
  switch (domain::signup_action(state, within_cooldown)) {
    case domain::SignupAction::nothing:
      // Nothing to send, but the signup is still written down: a
      // transaction that writes nothing commits without waiting for the
      // WAL flush, several milliseconds sooner, and that difference alone
      // would tell a known address from a new one (issue 16 item 6).
      record_consent(transaction, subscriber, "signup", signup.consent_version, signup.client_address);
      return false;
    case domain::SignupAction::create: {
      auto inserted = transaction.exec_prepared(
          "insert-subscriber", signup.id, visitor.email, visitor.name, signup.consent_version, source.page_url,
          source.referrer, source.utm_source, source.utm_medium, source.utm_campaign, source.utm_term,
          source.utm_content, signup.spam.score(), signup.spam.reasons_array());
      // A concurrent first signup of the same address won: that one sends.
      if (inserted.empty()) return false;
      break;
    }
    case domain::SignupAction::send_confirmation:
      transaction.exec_prepared("refresh-subscriber", subscriber, signup.consent_version, visitor.name,
                                signup.spam.score(), signup.spam.reasons_array());
      break;
  }
  transaction.exec_prepared("insert-subscriber-tokens", subscriber, domain::sha256_hex(signup.confirm_token),
                            domain::sha256_hex(signup.unsubscribe_token), signup.confirm_hours);
  transaction.exec_prepared("queue-newsletter-confirmation", subscriber, visitor.email, signup.confirmation_payload,
                            signup.visitor_email_cap);
  record_consent(transaction, subscriber, "signup", signup.consent_version, signup.client_address);
  return true;
}

}  // namespace

namespace {

struct SignupResult {
  Answer answer;
  bool queued = false;  // an e-mail was queued
};

async::Task<Answer> answer_of(async::Task<SignupResult> signup) { co_return (co_await std::move(signup)).answer; }

}  // namespace

async::Task<Answer> PgSubscriberStore::sign_up(NewSignup signup, std::optional<IdempotencyClaim> claim,
                                               Answer answer) {
  auto write = database_.run<SignupResult>(
      [signup = std::move(signup), claim = std::move(claim), answer = std::move(answer)](pqxx::connection_base& c) {
        pqxx::work transaction(c);
        SignupResult result{answer, false};
        if (claim) {
          result.answer = run_once(transaction, *claim, [&] { result.queued = apply_signup(transaction, signup); });
        } else {
          result.queued = apply_signup(transaction, signup);
        }
        transaction.commit();
        return result;
      });
  return answer_of(poke_when(notifier_, std::move(write), [](const SignupResult& result) { return result.queued; }));
}

async::Task<TokenInfo> PgSubscriberStore::inspect_token(std::string token_hash, std::string purpose) {
  return database_.run<TokenInfo>(
      [token_hash = std::move(token_hash), purpose = std::move(purpose)](pqxx::connection_base& c) {
        pqxx::nontransaction query(c);
        auto rows = query.exec_prepared("find-subscriber-token", token_hash);
        if (rows.empty() || rows[0][1].as<std::string>() != purpose) return TokenInfo{};
        return TokenInfo{rows[0][2].as<bool>() ? TokenState::usable : TokenState::spent,
                         parse_state(rows[0][3].as<std::string>())};
      });
}

async::Task<ConfirmResult> PgSubscriberStore::confirm(std::string token_hash, std::string client_address,
                                                      std::string webhook_targets) {
  auto write = database_.run<ConfirmResult>(
      [token_hash = std::move(token_hash), client_address = std::move(client_address),
       webhook_targets = std::move(webhook_targets)](pqxx::connection_base& c) {
        pqxx::work transaction(c);
        auto spent = transaction.exec_prepared("use-confirm-token", token_hash);
        if (spent.empty()) {
          // Used or expired: a second click on a link that already worked is
          // fine to report as done, anything else is not.
          auto known = transaction.exec_prepared("find-subscriber-token", token_hash);
          if (known.empty() || known[0][1].as<std::string>() != "confirm") return ConfirmResult::unknown;
          bool confirmed = known[0][3].as<std::string>() == "confirmed";
          return confirmed ? ConfirmResult::already_confirmed : ConfirmResult::spent;
        }
        auto subscriber = spent[0][0].as<std::string>();
        auto changed = transaction.exec_prepared("confirm-subscriber", subscriber);
        if (changed.empty()) {
          // The subscriber is no longer pending (unsubscribed since): the
          // link is spent and changes nothing.
          transaction.commit();
          return ConfirmResult::spent;
        }
        record_consent(transaction, subscriber, "confirm", changed[0][0].as<std::string>(), client_address);
        queue_webhooks(transaction, "subscriber.confirmed", webhook_targets, changed[0][1].as<std::string>(),
                       std::nullopt, subscriber, std::nullopt);
        transaction.commit();
        return ConfirmResult::confirmed;
      });
  // A confirmation may have queued webhooks.
  return poke_when(notifier_, std::move(write), [](ConfirmResult result) { return result == ConfirmResult::confirmed; });
}

async::Task<bool> PgSubscriberStore::unsubscribe(std::string token_hash, std::string client_address) {
  return database_.run<bool>(
      [token_hash = std::move(token_hash), client_address = std::move(client_address)](pqxx::connection_base& c) {
        pqxx::work transaction(c);
        auto known = transaction.exec_prepared("find-subscriber-token", token_hash);
        if (known.empty() || known[0][1].as<std::string>() != "unsubscribe") return false;
        auto subscriber = known[0][0].as<std::string>();
        auto changed = transaction.exec_prepared("unsubscribe-subscriber", subscriber);
        if (!changed.empty()) {
          record_consent(transaction, subscriber, "unsubscribe", changed[0][0].as<std::string>(), client_address);
        }
        transaction.commit();
        return true;
      });
}

}  // namespace leadgate::store
