#pragma once
// Sales' work on one lead: read it with its history, change its status or
// note (each change kept with who made it). A spam lead set to another
// status is released: what it would have queued is queued then, once
// however often it is released; a lead marked spam loses its e-mails to
// the visitor that are not sent yet. Both are in its history.

#include <functional>
#include <optional>
#include <string>

#include "store/database.hpp"
#include "store/leads.hpp"
#include "store/notifier.hpp"

namespace leadgate::store {

struct LeadDetail {
  std::string lead;     // JSON object
  std::string history;  // JSON array of {field, old, new, actor, at}
  std::string person;   // JSON object: the same person's other leads, bookings and subscription
};

struct LeadChange {
  std::optional<std::string> status;
  // Outer: whether the note changes; inner: the new note, or none to clear it.
  std::optional<std::optional<std::string>> note;
  // The same for the owner: a salesperson's name, or none.
  std::optional<std::optional<std::string>> owner;
};

class LeadAdmin {
 public:
  virtual ~LeadAdmin() = default;

  // Nothing for an unknown id.
  virtual async::Task<std::optional<LeadDetail>> get(std::string id) = 0;

  // Applies the change and records each field that really changed; then
  // the lead as it is now, read in the same transaction. Nothing for an
  // unknown id.
  virtual async::Task<std::optional<LeadDetail>> change(std::string id, LeadChange change, std::string actor) = 0;

  // The lead's timeline as a JSON array, newest first (lead-timeline):
  // received, its history, its e-mails and webhooks with their delivery
  // state, its bookings; times to the minute in `zone` (an IANA name).
  // An empty array for an unknown id.
  virtual async::Task<std::string> timeline(std::string id, std::string zone) = 0;
};

class PgLeadAdmin final : public LeadAdmin {
 public:
  PgLeadAdmin(Database& database, Notifier& notifier, LeadMail mail)
      : database_(database), notifier_(notifier), mail_(std::move(mail)) {}

  async::Task<std::optional<LeadDetail>> get(std::string id) override;
  async::Task<std::optional<LeadDetail>> change(std::string id, LeadChange change, std::string actor) override;
  async::Task<std::string> timeline(std::string id, std::string zone) override;

 private:
  Database& database_;
  Notifier& notifier_;
  LeadMail mail_;
};

}  // namespace leadgate::store
