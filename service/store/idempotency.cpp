#include "store/idempotency.hpp"

#include <pqxx/pqxx>

#include "domain/error.hpp"

namespace leadgate::store {

Answer run_once(pqxx::transaction_base& transaction, const IdempotencyClaim& claim,
                const std::function<void()>& write) {
  auto claimed = transaction.exec_prepared("claim-idempotency-key", claim.scope, claim.key, claim.request_hash,
                                           claim.status, claim.body);
  if (!claimed.empty()) {
    write();
    return Answer{claim.status, claim.body, false};
  }
  auto stored = transaction.exec_prepared1("find-idempotency-key", claim.scope, claim.key);
  if (stored[0].as<std::string>() != claim.request_hash) {
    throw domain::Error::validation({domain::FieldError{
        "Idempotency-Key", "reused",
        "This Idempotency-Key was already used for a different request; send a new key."}});
  }
  return Answer{stored[1].as<int>(), stored[2].as<std::string>(), true};
}

}  // namespace leadgate::store
