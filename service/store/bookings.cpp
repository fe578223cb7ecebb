#include "store/bookings.hpp"

#include <pqxx/pqxx>

#include <cctype>
#include <limits>
#include <map>

#include "domain/digest.hpp"
#include "store/pg_array.hpp"
#include "store/unix_time.hpp"
#include "store/sql_failure.hpp"
#include "store/webhooks.hpp"

namespace leadgate::store {

namespace {

using Seconds = date::sys_seconds;

using Hosts = std::vector<domain::BookingHost>;

// Every host's meetings and calendar busy time in [from, to), and whether
// each host's calendars are all fresh (a host without calendars always is).
// `excluded`: a booking whose own meeting does not count (the one being
// moved), or none.
domain::Availability availability_in(pqxx::transaction_base& transaction, Seconds from, Seconds to,
                                     const Hosts& hosts, int max_stale_seconds,
                                     const std::optional<std::string>& excluded) {
  std::vector<std::string> ids;
  std::vector<std::string> calendar_hosts;
  std::vector<std::string> calendars;
  domain::Availability availability;
  for (const auto& host : hosts) {
    ids.push_back(host.id);
    availability[host.id].calendars_fresh = true;
    for (const auto& calendar : host.calendars) {
      calendar_hosts.push_back(host.id);
      calendars.push_back(calendar);
    }
  }
  auto id_array = text_array(ids);
  for (const auto& row : transaction.exec_prepared("busy-between", epoch_seconds(from), epoch_seconds(to), id_array,
                                                   text_array(calendar_hosts), text_array(calendars), excluded)) {
    domain::Booked busy{from_epoch_seconds(row[1].as<std::int64_t>()), from_epoch_seconds(row[2].as<std::int64_t>())};
    auto host = availability.find(row[0].as<std::string>());
    if (host != availability.end()) {
      host->second.busy.push_back(busy);
    } else {  // the implicit host's meeting, from before hosts: nobody may double-book it
      for (auto& [id, known] : availability) known.busy.push_back(busy);
    }
  }
  // Fresh: every configured calendar has a row synced recently enough.
  // Without calendars (no hosts, or hosts without any) there is nothing to
  // ask.
  if (calendars.empty()) return availability;
  std::map<std::pair<std::string, std::string>, bool> fresh;
  for (const auto& row : transaction.exec_prepared("calendar-sync-ages", id_array)) {
    fresh[{row[0].as<std::string>(), row[1].as<std::string>()}] =
        !row[2].is_null() && row[2].as<std::int64_t>() <= max_stale_seconds;
  }
  for (const auto& host : hosts) {
    for (const auto& calendar : host.calendars) {
      auto known = fresh.find({host.id, calendar});
      if (known == fresh.end() || !known->second) availability[host.id].calendars_fresh = false;
    }
  }
  return availability;
}

// Only a choice between hosts needs the counts.
std::map<std::string, std::int64_t> recent_bookings(pqxx::transaction_base& transaction, const Hosts& hosts) {
  if (hosts.size() < 2) return {};
  std::vector<std::string> ids;
  for (const auto& host : hosts) ids.push_back(host.id);
  std::map<std::string, std::int64_t> counts;
  for (const auto& row : transaction.exec_prepared("recent-bookings-by-host", text_array(ids))) {
    counts[row[0].as<std::string>()] = row[1].as<std::int64_t>();
  }
  return counts;
}

// Queues the notices of a change of `booking` (e-mails, webhook, calendar
// write-back); whether the visitor's confirmation was among them (the
// per-address cap may hold it back).
bool queue_notices(pqxx::transaction_base& transaction, const BookingInfo& booking, const Notices& notices,
                   int visitor_email_cap) {
  bool confirmation_queued = false;
  for (const auto& email : notices.emails) {
    std::optional<std::int64_t> due;
    if (email.due) due = epoch_seconds(*email.due);
    auto queued = transaction.exec_prepared("queue-booking-email", booking.id, booking.lead_id, email.template_name,
                                            email.recipient, email.reply_to, email.payload, due, visitor_email_cap);
    if (email.template_name == "booking_confirmation" && queued.affected_rows() > 0) confirmation_queued = true;
  }
  if (notices.webhook) {
    queue_webhooks(transaction, notices.webhook->event, notices.webhook->targets, notices.webhook->data,
                   booking.lead_id, std::nullopt, booking.id);
  }
  if (notices.calendar_removed) queue_calendar_write(transaction, *notices.calendar_removed);
  if (notices.calendar) queue_calendar_write(transaction, *notices.calendar);
  return confirmation_queued;
}

bool queue_emails(pqxx::transaction_base& transaction, const BookingInfo& booking, const EmailsFor& emails,
                  int visitor_email_cap) {
  return queue_notices(transaction, booking, emails(booking), visitor_email_cap);
}

// Calendar exhaustion: one person (an address, or a client network) may hold
// only so many upcoming meetings, or a script books the whole horizon.
// Counted inside the booking's transaction; two bookings of one person at
// the same instant may both pass (read committed), which a limit of a few
// meetings can bear.
void check_active_bookings(pqxx::transaction_base& transaction, const NewBooking& booking) {
  auto row = transaction.exec_prepared1("count-active-bookings", booking.request.email, booking.client_address);
  if (row[0].as<int>() >= booking.max_active_per_address) {
    throw domain::Error::validation({domain::FieldError{
        "email", "too_many_bookings",
        "This address already has " + std::to_string(booking.max_active_per_address) +
            " upcoming consultations. Cancel one (the link is in its e-mail) to book another."}});
  }
  if (row[1].as<int>() >= booking.max_active_per_network) {
    domain::Error error(domain::ErrorKind::rate_limited,
                        "Too many upcoming consultations were booked from your network. Please contact us directly.");
    error.with_header("Retry-After", "3600");
    throw error;
  }
}

domain::Error slot_error(domain::ErrorKind kind, std::string message) {
  if (kind == domain::ErrorKind::conflict) return domain::Error(kind, std::move(message));
  return domain::Error::validation({domain::FieldError{"slot_start", "not_offered", std::move(message)}});
}

// Returns whether the lead is spam (as the service judged it, or because
// another address sent the same topic today).
bool insert_consultation_lead(pqxx::transaction_base& transaction, const NewBooking& booking) {
  const auto& request = booking.request;
  const auto& source = request.attribution;
  auto status = transaction.exec_prepared1(
      "insert-consultation-lead", booking.lead_id, request.name, request.email, request.topic.value_or(""),
      request.company, request.phone, request.consent_marketing, booking.consent_version, source.page_url,
      source.referrer, source.utm_source, source.utm_medium, source.utm_campaign, source.utm_term,
      source.utm_content, booking.client_address, booking.user_agent, booking.spam.reasons_array(),
      booking.spam.score(), booking.message_digest, booking.spam_threshold,
      domain::points_of(domain::SpamReason::duplicate), booking.assignees);
  return status[0].as<std::string>() == "spam";
}

// Inside the booking's transaction: the slot must be one /slots offers right
// now, with a host free then (their meetings and calendars as synced by now);
// the exclusion constraint then settles any race with another server.
void insert_booking(pqxx::transaction_base& transaction, const NewBooking& booking) {
  if (booking.is_spam) {
    insert_consultation_lead(transaction, booking);
    return;
  }
  const auto& request = booking.request;
  const auto& hosts = *booking.hosts;
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (!domain::is_any_hosts_slot(hosts, request.slot_start, now)) {
    throw slot_error(domain::ErrorKind::validation_failed, "This time is not one of the offered slots.");
  }
  auto day = std::chrono::hours(24);
  auto availability = availability_in(transaction, request.slot_start - day, request.slot_start + day, hosts,
                                      booking.calendar_max_stale_seconds, std::nullopt);
  const auto* host = domain::choose_host(hosts, availability, recent_bookings(transaction, hosts), request.slot_start, now);
  if (host == nullptr) {
    throw slot_error(domain::ErrorKind::conflict, "This slot was just taken. Please choose another one.");
  }
  check_active_bookings(transaction, booking);
  if (insert_consultation_lead(transaction, booking)) return;
  auto end = request.slot_start + host->rules.slot_length;
  try {
    transaction.exec_prepared("insert-booking", booking.booking_id, booking.lead_id, epoch_seconds(request.slot_start),
                              epoch_seconds(end), std::string(request.timezone->name()),
                              static_cast<int>(host->rules.buffer.count()),
                              domain::sha256_hex(booking.cancel_token), host->id, request.host.has_value());
  } catch (const pqxx::sql_error& error) {
    if (classify(error).kind == SqlFailureKind::exclusion) {  // bookings_no_overlap
      throw slot_error(domain::ErrorKind::conflict, "This slot was just taken. Please choose another one.");
    }
    throw;
  }
  BookingInfo info{booking.booking_id, booking.lead_id, request.name, request.email, request.slot_start, end,
                   std::string(request.timezone->name()), "confirmed", 0, host->id, request.host.has_value()};
  if (!queue_emails(transaction, info, booking.emails, booking.visitor_email_cap)) {
    // The address has had its share of e-mails today: a meeting nobody was
    // told of must not hold the slot. Everything above rolls back.
    domain::Error error(domain::ErrorKind::rate_limited,
                        "This address has received enough e-mail from us today. Please try again tomorrow.");
    error.with_header("Retry-After", "3600");
    throw error;
  }
}

// A booking id as PostgreSQL's uuid reads it; anything else finds nothing
// (rather than failing the query).
bool is_uuid(const std::string& text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::optional<BookingInfo> find_booking(pqxx::transaction_base& transaction, const BookingKey& key) {
  pqxx::result rows;
  if (key.kind == BookingKey::Kind::token) {
    rows = transaction.exec_prepared("find-booking-by-token", domain::sha256_hex(key.value));
  } else if (is_uuid(key.value)) {
    rows = transaction.exec_prepared("find-booking-by-id", key.value);
  }
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  return BookingInfo{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                     row[3].as<std::string>(), from_epoch_seconds(row[4].as<std::int64_t>()),
                     from_epoch_seconds(row[5].as<std::int64_t>()), row[6].as<std::string>(), row[7].as<std::string>(),
                     row[8].as<int>(), row[9].as<std::string>(), row[10].as<bool>()};
}

// Who may take the moved meeting: the booking's own host when the visitor
// named it (and it is still configured), else every host.
Hosts candidate_hosts(const Reschedule& reschedule, const BookingInfo& booking) {
  if (booking.host_requested && !reschedule.any_host) {
    for (const auto& host : *reschedule.hosts) {
      if (host.id == booking.host_id) return Hosts{host};
    }
  }
  return *reschedule.hosts;
}

// Inside the move's transaction: the new time must be a slot of the
// candidate hosts with one of them free then, the booking's own meeting
// aside; the exclusion constraint settles any race with another server.
Rescheduled move_booking(pqxx::transaction_base& transaction, const Reschedule& reschedule) {
  auto before = find_booking(transaction, reschedule.booking);
  if (!before) return {RescheduleResult::unknown, {}};
  if (before->status == "cancelled") return {RescheduleResult::cancelled, *before};
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  if (before->start <= now) return {RescheduleResult::past, *before};
  const auto start = reschedule.slot_start;
  if (start == before->start) {
    throw slot_error(domain::ErrorKind::validation_failed, "The consultation is already at this time.");
  }
  auto hosts = candidate_hosts(reschedule, *before);
  if (!domain::is_any_hosts_slot(hosts, start, now)) {
    throw slot_error(domain::ErrorKind::validation_failed, "This time is not one of the offered slots.");
  }
  auto day = std::chrono::hours(24);
  auto availability =
      availability_in(transaction, start - day, start + day, hosts, reschedule.calendar_max_stale_seconds, before->id);
  const auto* host = domain::choose_host(hosts, availability, recent_bookings(transaction, hosts), start, now);
  if (host == nullptr) throw slot_error(domain::ErrorKind::conflict, "This slot was just taken. Please choose another one.");
  auto end = start + host->rules.slot_length;
  pqxx::result moved;
  try {
    moved = transaction.exec_prepared("reschedule-booking", before->id, epoch_seconds(start), epoch_seconds(end),
                                      static_cast<int>(host->rules.buffer.count()), host->id);
  } catch (const pqxx::sql_error& error) {
    if (classify(error).kind == SqlFailureKind::exclusion) {  // bookings_no_overlap
      throw slot_error(domain::ErrorKind::conflict, "This slot was just taken. Please choose another one.");
    }
    throw;
  }
  if (moved.empty()) return {RescheduleResult::cancelled, *before};  // a concurrent cancel won
  if (reschedule.new_token) {
    transaction.exec_prepared("replace-booking-token", before->id, domain::sha256_hex(*reschedule.new_token));
  }
  BookingInfo after = *before;
  after.start = start;
  after.end = end;
  after.host_id = host->id;
  after.sequence = moved[0][0].as<int>();
  queue_notices(transaction, after, reschedule.notices(*before, after), std::numeric_limits<int>::max());
  return {RescheduleResult::moved, after};
}

}  // namespace

async::Task<domain::Availability> PgBookingStore::availability(Seconds from, Seconds to,
                                                              std::shared_ptr<const Hosts> hosts,
                                                              int max_stale_seconds,
                                                              std::optional<std::string> excluded) {
  return database_.run<domain::Availability>(
      [from, to, hosts, max_stale_seconds, excluded = std::move(excluded)](pqxx::connection_base& connection) {
        pqxx::read_transaction query(connection);
        return availability_in(query, from, to, *hosts, max_stale_seconds, excluded);
      });
}

async::Task<Answer> PgBookingStore::book(NewBooking booking, std::optional<IdempotencyClaim> claim, Answer answer) {
  auto write = database_.run<Answer>(
      [booking = std::move(booking), claim = std::move(claim), answer](pqxx::connection_base& connection) {
        pqxx::work transaction(connection);
        Answer result = answer;
        if (claim) {
          result = run_once(transaction, *claim, [&] { insert_booking(transaction, booking); });
        } else {
          insert_booking(transaction, booking);
        }
        transaction.commit();
        return result;
      });
  return poke_when(notifier_, std::move(write), [](const Answer& stored) { return !stored.replayed; });
}

async::Task<std::optional<BookingInfo>> PgBookingStore::find(BookingKey key) {
  return database_.run<std::optional<BookingInfo>>([key = std::move(key)](pqxx::connection_base& connection) {
    pqxx::nontransaction query(connection);
    return find_booking(query, key);
  });
}

async::Task<CancelResult> PgBookingStore::cancel(BookingKey key, EmailsFor emails) {
  auto write = database_.run<CancelResult>(
      [key = std::move(key), emails = std::move(emails)](pqxx::connection_base& connection) {
        pqxx::work transaction(connection);
        auto booking = find_booking(transaction, key);
        if (!booking) return CancelResult::unknown;
        if (booking->status == "cancelled") return CancelResult::already_cancelled;
        if (booking->start <= std::chrono::system_clock::now()) return CancelResult::past;
        auto cancelled = transaction.exec_prepared("cancel-booking", booking->id);
        if (cancelled.empty()) return CancelResult::already_cancelled;  // a concurrent cancel won
        booking->status = "cancelled";
        booking->sequence = cancelled[0][0].as<int>();
        queue_emails(transaction, *booking, emails, std::numeric_limits<int>::max());  // no confirmation here
        transaction.commit();
        return CancelResult::cancelled;
      });
  return poke_when(notifier_, std::move(write), [](CancelResult result) { return result == CancelResult::cancelled; });
}

async::Task<Rescheduled> PgBookingStore::reschedule(Reschedule reschedule) {
  auto write = database_.run<Rescheduled>([reschedule = std::move(reschedule)](pqxx::connection_base& connection) {
    pqxx::work transaction(connection);
    auto moved = move_booking(transaction, reschedule);
    if (moved.result == RescheduleResult::moved) transaction.commit();
    return moved;
  });
  return poke_when(notifier_, std::move(write),
                   [](const Rescheduled& moved) { return moved.result == RescheduleResult::moved; });
}

async::Task<OutcomeResult> PgBookingStore::record_outcome(std::string id, std::string outcome, EmailsFor notices) {
  auto write = database_.run<OutcomeResult>([id = std::move(id), outcome = std::move(outcome),
                                             notices = std::move(notices)](pqxx::connection_base& connection) {
    if (!is_uuid(id)) return OutcomeResult::unknown;
    pqxx::work transaction(connection);
    auto rows = transaction.exec_prepared("set-booking-outcome", id, outcome);
    if (rows.empty()) return OutcomeResult::unknown;
    if (rows[0][1].as<std::string>() != "confirmed") return OutcomeResult::cancelled;
    if (!rows[0][2].as<bool>()) return OutcomeResult::not_started;
    auto previous = rows[0][0].get<std::string>();
    if (outcome == "no_show" && previous != outcome) {
      auto booking = find_booking(transaction, BookingKey::id(id));
      queue_emails(transaction, *booking, notices, std::numeric_limits<int>::max());
    }
    transaction.commit();
    return OutcomeResult::recorded;
  });
  return poke_when(notifier_, std::move(write), [](OutcomeResult result) { return result == OutcomeResult::recorded; });
}

async::Task<std::optional<std::string>> PgBookingStore::detail(std::string id) {
  return database_.run<std::optional<std::string>>([id = std::move(id)](pqxx::connection_base& connection)
                                                       -> std::optional<std::string> {
    if (!is_uuid(id)) return std::nullopt;
    pqxx::nontransaction query(connection);
    auto rows = query.exec_prepared("booking-detail", id);
    if (rows.empty()) return std::nullopt;
    return rows[0][0].as<std::string>();
  });
}

}  // namespace leadgate::store
