#pragma once
// Who an e-mail job's message goes to. Sales notifications are queued to
// the sales inbox; when the lead has an owner who is one of sales.assignees
// (assigned in turn, or set on the admin page), the message goes to that
// person and copies the inbox: the owner acts on it, and the team still
// sees every lead.

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace leadgate::mail {

struct SalesRouting {
  std::string sales_inbox;                // mail.sales_inbox
  std::vector<config::Assignee> assignees;  // sales.assignees
};

struct Addressees {
  std::string to;
  std::vector<std::string> cc;
  // Every address the message is delivered to (the SMTP envelope).
  std::vector<std::string> all() const;
};

// `recipient` is the job's; `lead_owner` the owner of the job's lead, when
// it has one.
Addressees addressees(const SalesRouting& routing, const std::string& recipient,
                      const std::optional<std::string>& lead_owner);

}  // namespace leadgate::mail
