#include "store/privacy.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <algorithm>

#include "domain/digest.hpp"

namespace leadgate::store {

std::string email_hash(const std::string& email) {
  std::string lowered = email;
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) { return std::tolower(c); });
  return domain::sha256_hex(lowered);
}

async::Task<std::string> PgPrivacy::records(std::string email) {
  return database_.run<std::string>(
      [email = std::move(email)](pqxx::connection_base& connection) {
        // One snapshot, so the parts agree with each other.
        pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> transaction(connection);
        return transaction.exec_prepared1("subject-records", email, email_hash(email))[0].as<std::string>();
      });
}

nlohmann::json erased_counts(const Erased& erased) {
  return {{"leads", erased.leads},
          {"bookings", erased.bookings},
          {"subscribers", erased.subscribers},
          {"emails", erased.emails},
          {"newsletter_spam", erased.newsletter_spam}};
}

async::Task<Erased> PgPrivacy::erase(std::string email, std::string actor) {
  return database_.run<Erased>(
      [email = std::move(email), actor = std::move(actor)](pqxx::connection_base& connection) {
        pqxx::work transaction(connection);
        auto hash = email_hash(email);
        transaction.exec_prepared("hold-lead-search");  // search indexing waits (db/queries/search.sql)
        auto row = transaction.exec_prepared1("erase-subject", email, hash);
        Erased erased{row[0].as<long>(), row[1].as<long>(), row[2].as<long>(), row[3].as<long>(),
                      row[4].as<long>()};
        auto details = erased_counts(erased);
        details["email_sha256"] = hash;
        transaction.exec_prepared("insert-audit", actor, std::string("erase"), details.dump());
        transaction.commit();
        return erased;
      });
}

}  // namespace leadgate::store
