#pragma once
// Idempotency-Key support for every form: the first answer to a (scope, key)
// is stored in the same transaction as the write it answers, so a repeat
// within 24 hours gets that answer and writes nothing.

#include <pqxx/transaction_base>

#include <functional>
#include <string>

namespace leadgate::store {

struct IdempotencyClaim {
  std::string scope;         // the form and the client, e.g. "estimate:<digest of the client network>"
  std::string key;           // the header's value
  std::string request_hash;  // hex SHA-256 of content type and body
  int status = 0;            // the answer this request will give if it proceeds
  std::string body;
};

struct Answer {
  int status = 0;
  std::string body;
  bool replayed = false;  // true: an earlier request's stored answer
};

// Within `transaction`: if the key is fresh, runs `write` and returns the
// claim's own answer; if it was used in the last 24 hours with the same
// request, returns the stored answer without running `write`. Throws
// domain::Error (422) when the key was used for a different request.
Answer run_once(pqxx::transaction_base& transaction, const IdempotencyClaim& claim,
                const std::function<void()>& write);

}  // namespace leadgate::store
