#pragma once
// Newsletter subscribers: signup, confirmation and unsubscription, each in
// one transaction with its consent record (and its e-mail, for signups).

#include <functional>
#include <optional>
#include <string>

#include "domain/newsletter.hpp"
#include "domain/spam_score.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"
#include "store/notifier.hpp"

namespace leadgate::store {

struct NewSignup {
  std::string id;  // for a new subscriber; generated before the first attempt
  domain::NewsletterSignup signup;
  std::string consent_version;
  std::string client_address;
  // Its spam score; when it is spam (a bot's post) it is kept in
  // newsletter_spam and nothing else happens, no subscriber, no e-mail.
  domain::SpamScore spam;
  bool is_spam = false;
  // Raw tokens go only into the e-mail (under payload "secret", scrubbed once
  // sent); the database keeps their hashes.
  std::string confirm_token;
  std::string unsubscribe_token;
  std::string confirmation_payload;  // JSON for the newsletter_confirmation e-mail
  int cooldown_minutes = 10;
  int visitor_email_cap = 3;
  int confirm_hours = 72;
};

// What a link's token is, as far as a GET may tell without changing anything.
enum class TokenState { unknown, usable, spent };

struct TokenInfo {
  TokenState state = TokenState::unknown;
  std::optional<domain::SubscriberState> subscriber;  // when the token is known
};

enum class ConfirmResult { confirmed, already_confirmed, spent, unknown };

class SubscriberStore {
 public:
  virtual ~SubscriberStore() = default;

  // Applies domain::signup_action to the address's current state (or stores
  // a bot's post apart); the answer is the same whatever happened (no
  // enumeration).
  virtual async::Task<Answer> sign_up(NewSignup signup, std::optional<IdempotencyClaim> claim, Answer answer) = 0;

  // `token_hash` must be for `purpose` ("confirm" or "unsubscribe").
  virtual async::Task<TokenInfo> inspect_token(std::string token_hash, std::string purpose) = 0;

  // `webhook_targets`: the JSON array of URLs that want subscriber.confirmed.
  virtual async::Task<ConfirmResult> confirm(std::string token_hash, std::string client_address,
                                             std::string webhook_targets) = 0;

  // true when the token is a known unsubscribe token (unsubscribing twice is fine).
  virtual async::Task<bool> unsubscribe(std::string token_hash, std::string client_address) = 0;
};

class PgSubscriberStore final : public SubscriberStore {
 public:
  PgSubscriberStore(Database& database, Notifier& notifier) : database_(database), notifier_(notifier) {}

  async::Task<Answer> sign_up(NewSignup signup, std::optional<IdempotencyClaim> claim, Answer answer) override;
  async::Task<TokenInfo> inspect_token(std::string token_hash, std::string purpose) override;
  async::Task<ConfirmResult> confirm(std::string token_hash, std::string client_address,
                                     std::string webhook_targets) override;
  async::Task<bool> unsubscribe(std::string token_hash, std::string client_address) override;

 private:
  Database& database_;
  Notifier& notifier_;
};

}  // namespace leadgate::store
