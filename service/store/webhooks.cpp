#include "store/webhooks.hpp"

#include <pqxx/pqxx>

namespace leadgate::store {

void queue_webhooks(pqxx::transaction_base& transaction, const std::string& event, const std::string& targets_json,
                    const std::string& data_json, const std::optional<std::string>& lead_id,
                    const std::optional<std::string>& subscriber_id, const std::optional<std::string>& booking_id) {
  if (targets_json.empty() || targets_json == "[]") return;
  transaction.exec_prepared("queue-webhooks", event, targets_json, data_json, lead_id, subscriber_id, booking_id);
}

}  // namespace leadgate::store
