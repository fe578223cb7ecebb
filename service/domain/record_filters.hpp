#pragma once
// What sales filter their listings and exports by, as values the handlers
// read from a query string and the store turns into SQL (one filter clause
// for a kind of record, shared by its listing and its export). Dates are
// YYYY-MM-DD days in UTC, inclusive; an absent filter means "any".

#include <optional>
#include <string>

namespace leadgate::domain {

struct LeadFilter {
  std::optional<std::string> form;
  std::optional<std::string> status;  // absent: every status but spam
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> q;  // as typed; matched literally as a substring
  std::optional<std::string> owner;  // a name, or "" for leads nobody owns
};

struct SubscriberFilter {
  std::optional<std::string> state;  // absent: every state but spam
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<std::string> q;
};

struct BookingFilter {
  bool past = false;  // meetings that are over (latest first), else the ones to come (soonest first)
  std::optional<std::string> from;
  std::optional<std::string> to;
};

}  // namespace leadgate::domain
