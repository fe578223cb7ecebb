#pragma once
// Webhook events go into the same outbox as e-mails, in the transaction of
// the record they are about (store-internal).

#include <pqxx/types.hxx>

#include <optional>
#include <string>

namespace leadgate::store {

// One job per URL of `targets_json` (a JSON array; nothing at all when it
// is empty, the usual case), for `event` with `data_json`.
void queue_webhooks(pqxx::transaction_base& transaction, const std::string& event, const std::string& targets_json,
                    const std::string& data_json, const std::optional<std::string>& lead_id,
                    const std::optional<std::string>& subscriber_id, const std::optional<std::string>& booking_id);

}  // namespace leadgate::store
