#pragma once
// Consultation bookings. The database has the last word on double bookings:
// the exclusion constraint on confirmed bookings' blocked ranges refuses the
// second of two overlapping ones of one host, whatever the number of serve
// processes.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/consultation.hpp"
#include "domain/hosts.hpp"
#include "domain/slots.hpp"
#include "store/calendar_jobs.hpp"
#include "store/database.hpp"
#include "store/idempotency.hpp"
#include "store/notifier.hpp"

namespace leadgate::store {

// A booking as its e-mails need it.
struct BookingInfo {
  std::string id;
  std::string lead_id;
  std::string name;
  std::string email;
  date::sys_seconds start;
  date::sys_seconds end;
  std::string visitor_timezone;
  std::string status;  // confirmed or cancelled
  int sequence = 0;    // of its calendar invitation
  std::string host_id;
};

// A webhook event a booking change sends (targets as a JSON array of URLs).
struct WebhookEvent {
  std::string event;
  std::string targets;
  std::string data;  // JSON
};

struct QueuedEmail {
  std::string template_name;
  std::string recipient;
  std::optional<std::string> reply_to;
  std::string payload;               // JSON
  std::optional<date::sys_seconds> due;  // none: at once
};

// The e-mails, webhooks and calendar write-back of a booking event, made
// from the booking as stored.
struct Notices {
  std::vector<QueuedEmail> emails;
  std::optional<WebhookEvent> webhook;
  std::optional<CalendarWrite> calendar;  // when the host has a write_to
};
using EmailsFor = std::function<Notices(const BookingInfo&)>;

struct NewBooking {
  std::string lead_id;     // generated before the first attempt
  std::string booking_id;  // likewise
  domain::ConsultationRequest request;
  std::string consent_version;
  std::string client_address;
  std::optional<std::string> user_agent;
  std::string cancel_token;  // raw: only its hash is stored
  // Who may take it: the host the visitor named, or every host.
  std::shared_ptr<const std::vector<domain::BookingHost>> hosts;
  int calendar_max_stale_seconds = 900;
  EmailsFor emails;
  int visitor_email_cap = 3;
  int max_active_per_address = 2;  // booking.max_active_per_address
  int max_active_per_network = 5;  // booking.max_active_per_network
  // Set: a bot's request, stored as a lead flagged spam, and nothing else
  // (no slot held, no e-mail).
  std::optional<std::string> spam_reason;
};

enum class CancelResult { cancelled, already_cancelled, past, unknown };

// What the booking handlers need (a unit test passes an in-memory one).
class BookingStore {
 public:
  virtual ~BookingStore() = default;

  // What keeps each of `hosts` busy in [from, to) (meetings, calendar busy
  // time), and whether all its calendars synced within `max_stale_seconds`.
  virtual async::Task<domain::Availability> availability(
      date::sys_seconds from, date::sys_seconds to, std::shared_ptr<const std::vector<domain::BookingHost>> hosts,
      int max_stale_seconds) = 0;

  // Books the slot with its lead and e-mails in one transaction, with the
  // host chosen then (domain::choose_host). Errors: 422 when the slot is not
  // one /slots offers, 409 when it was just taken (or a host's calendar has
  // just filled it).
  virtual async::Task<Answer> book(NewBooking booking, std::optional<IdempotencyClaim> claim, Answer answer) = 0;

  virtual async::Task<std::optional<BookingInfo>> find(std::string cancel_token) = 0;

  // Cancels, frees the slot, drops the pending reminder and queues `emails`
  // (made from the booking with its new sequence), in one transaction.
  virtual async::Task<CancelResult> cancel(std::string cancel_token, EmailsFor emails) = 0;
};

class PgBookingStore final : public BookingStore {
 public:
  PgBookingStore(Database& database, Notifier& notifier) : database_(database), notifier_(notifier) {}

  async::Task<domain::Availability> availability(date::sys_seconds from, date::sys_seconds to,
                                                 std::shared_ptr<const std::vector<domain::BookingHost>> hosts,
                                                 int max_stale_seconds) override;
  async::Task<Answer> book(NewBooking booking, std::optional<IdempotencyClaim> claim, Answer answer) override;
  async::Task<std::optional<BookingInfo>> find(std::string cancel_token) override;
  async::Task<CancelResult> cancel(std::string cancel_token, EmailsFor emails) override;

 private:
  Database& database_;
  Notifier& notifier_;
};

}  // namespace leadgate::store
