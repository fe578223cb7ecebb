#pragma once
// Subject access and erasure (role admin; docs/sales-api.md, "Privacy"):
// everything held about an e-mail address, and its removal from every table,
// leaving only a hash.

#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "store/database.hpp"

namespace leadgate::store {

struct Erased {
  long leads = 0;
  long bookings = 0;
  long subscribers = 0;
  long emails = 0;
  long newsletter_spam = 0;  // bots' signups (db/migrations/0004)
};

// {"leads": n, ...}: what the erasure answer and its audit entry report.
nlohmann::json erased_counts(const Erased& erased);

class Privacy {
 public:
  virtual ~Privacy() = default;

  // One JSON object: leads, their history, bookings, subscriber, consent
  // records, bots' signups, e-mails, and whether the address was erased before.
  virtual async::Task<std::string> records(std::string email) = 0;

  // Erases and writes the audit entry (with the address's hash only) in one
  // transaction.
  virtual async::Task<Erased> erase(std::string email, std::string actor) = 0;
};

class PgPrivacy final : public Privacy {
 public:
  explicit PgPrivacy(Database& database) : database_(database) {}

  async::Task<std::string> records(std::string email) override;
  async::Task<Erased> erase(std::string email, std::string actor) override;

 private:
  Database& database_;
};

// The tombstone's key: SHA-256 of the lower-cased address.
std::string email_hash(const std::string& email);

}  // namespace leadgate::store
