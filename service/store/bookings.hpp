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
#include "domain/spam_score.hpp"
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
  bool host_requested = false;  // the visitor named the host: a reschedule keeps it
};

// Which booking: by its link token (the visitor's e-mails) or by its id
// (sales).
struct BookingKey {
  enum class Kind { token, id } kind = Kind::token;
  std::string value;  // the raw token, or the id

  static BookingKey token(std::string token) { return {Kind::token, std::move(token)}; }
  static BookingKey id(std::string id) { return {Kind::id, std::move(id)}; }
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
  // A reschedule that went to another host: the meeting leaves the previous
  // host's calendar (queued before `calendar`).
  std::optional<CalendarWrite> calendar_removed;
};
using EmailsFor = std::function<Notices(const BookingInfo&)>;
// The notices of a move, from the booking before and after it.
using MoveNoticesFor = std::function<Notices(const BookingInfo& before, const BookingInfo& after)>;

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
  // Its spam score. Spam (a bot's request, or a text another address sent
  // today, which the statement finds) is stored as a lead flagged spam, and
  // nothing else: no slot held, nothing sent.
  domain::SpamScore spam;
  bool is_spam = false;  // as the service judged it, before `duplicate`
  std::optional<std::string> message_digest;  // of the topic
  int spam_threshold = 50;
  std::string assignees = "{}";  // text[] literal: who the lead may be assigned to, in turn
};

enum class CancelResult { cancelled, already_cancelled, past, unknown };

struct Reschedule {
  BookingKey booking;
  date::sys_seconds slot_start;
  // Every host. The booking stays with its host when the visitor named one
  // (unless `any_host`); otherwise the host is chosen again, as for a new
  // booking (domain::choose_host).
  std::shared_ptr<const std::vector<domain::BookingHost>> hosts;
  bool any_host = false;  // sales may move a meeting to any host
  int calendar_max_stale_seconds = 900;
  // Set: the booking's link token becomes this one (raw; its hash is
  // stored), because whoever moves it does not hold the old one (sales).
  std::optional<std::string> new_token;
  MoveNoticesFor notices;
};

enum class RescheduleResult { moved, cancelled, past, unknown };

struct Rescheduled {
  RescheduleResult result = RescheduleResult::unknown;
  BookingInfo booking;  // moved: as it is now
};

enum class OutcomeResult { recorded, unknown, cancelled, not_started };

// What the booking handlers need (a unit test passes an in-memory one).
class BookingStore {
 public:
  virtual ~BookingStore() = default;

  // What keeps each of `hosts` busy in [from, to) (meetings, calendar busy
  // time), and whether all its calendars synced within `max_stale_seconds`.
  // `excluded`: a booking whose own meeting does not count (the one being
  // rescheduled), or none.
  virtual async::Task<domain::Availability> availability(
      date::sys_seconds from, date::sys_seconds to, std::shared_ptr<const std::vector<domain::BookingHost>> hosts,
      int max_stale_seconds, std::optional<std::string> excluded) = 0;

  // Books the slot with its lead and e-mails in one transaction, with the
  // host chosen then (domain::choose_host). Errors: 422 when the slot is not
  // one /slots offers, 409 when it was just taken (or a host's calendar has
  // just filled it).
  virtual async::Task<Answer> book(NewBooking booking, std::optional<IdempotencyClaim> claim, Answer answer) = 0;

  virtual async::Task<std::optional<BookingInfo>> find(BookingKey booking) = 0;

  // Cancels, frees the slot, drops the pending reminder and queues `emails`
  // (made from the booking with its new sequence), in one transaction.
  virtual async::Task<CancelResult> cancel(BookingKey booking, EmailsFor emails) = 0;

  // Moves a confirmed meeting that has not started to `slot_start`, in one
  // transaction: same id and UID, the new range under the exclusion
  // constraint, SEQUENCE + 1, the pending reminder dropped, and the notices
  // (a new reminder among them) queued. Errors as for book(): 422 when the
  // time is not a slot of the booking's hosts (or is its current time), 409
  // when it is taken; the booking's own current meeting does not count.
  virtual async::Task<Rescheduled> reschedule(Reschedule reschedule) = 0;

  // Records "attended" or "no_show" on a confirmed meeting that has
  // started; `notices` (the booking.no_show webhook) are queued only when
  // the outcome changes to no_show.
  virtual async::Task<OutcomeResult> record_outcome(std::string id, std::string outcome, EmailsFor notices) = 0;

  // One booking as the sales API shows it (JSON), or nothing.
  virtual async::Task<std::optional<std::string>> detail(std::string id) = 0;
};

class PgBookingStore final : public BookingStore {
 public:
  PgBookingStore(Database& database, Notifier& notifier) : database_(database), notifier_(notifier) {}

  async::Task<domain::Availability> availability(date::sys_seconds from, date::sys_seconds to,
                                                 std::shared_ptr<const std::vector<domain::BookingHost>> hosts,
                                                 int max_stale_seconds, std::optional<std::string> excluded) override;
  async::Task<Answer> book(NewBooking booking, std::optional<IdempotencyClaim> claim, Answer answer) override;
  async::Task<std::optional<BookingInfo>> find(BookingKey booking) override;
  async::Task<CancelResult> cancel(BookingKey booking, EmailsFor emails) override;
  async::Task<Rescheduled> reschedule(Reschedule reschedule) override;
  async::Task<OutcomeResult> record_outcome(std::string id, std::string outcome, EmailsFor notices) override;
  async::Task<std::optional<std::string>> detail(std::string id) override;

 private:
  Database& database_;
  Notifier& notifier_;
};

}  // namespace leadgate::store
