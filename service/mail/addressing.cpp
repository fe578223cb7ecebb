#include "mail/addressing.hpp"

#include <algorithm>

namespace leadgate::mail {

std::vector<std::string> Addressees::all() const {
  std::vector<std::string> addresses{to};
  addresses.insert(addresses.end(), cc.begin(), cc.end());
  return addresses;
}

Addressees addressees(const SalesRouting& routing, const std::string& recipient,
                      const std::optional<std::string>& lead_owner) {
  if (!lead_owner || recipient != routing.sales_inbox) return {recipient, {}};
  auto owner = std::find_if(routing.assignees.begin(), routing.assignees.end(),
                            [&](const config::Assignee& assignee) { return assignee.name == *lead_owner; });
  // An owner typed on the admin page who is not an assignee has no address
  // here: the inbox alone gets it, as without owners.
  if (owner == routing.assignees.end() || owner->email == recipient) return {recipient, {}};
  return {owner->email, {recipient}};
}

}  // namespace leadgate::mail
