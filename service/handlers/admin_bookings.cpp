#include "handlers/admin_bookings.hpp"

#include <nlohmann/json.hpp>

#include <array>

#include "domain/field_reader.hpp"
#include "domain/ids.hpp"
#include "domain/slots.hpp"
#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/admin_records.hpp"
#include "handlers/booking.hpp"
#include "handlers/booking_hosts.hpp"
#include "handlers/booking_mail.hpp"
#include "handlers/slot_days.hpp"
#include "http/form_body.hpp"

namespace leadgate::handlers {

namespace {

domain::Error started() {
  return domain::Error(domain::ErrorKind::gone, "This meeting has started or was cancelled: it can no longer change.");
}

// {"outcome": "attended" | "no_show"}, nothing else.
std::string read_outcome(const http::Request& request) {
  auto input = http::decode_form_body(request.header("content-type").value_or(""), request.body);
  domain::FieldReader reader(input);
  auto outcome = reader.choice("outcome", std::vector<std::string>{"attended", "no_show"});
  for (const auto& [name, value] : input.fields()) {
    if (name != "outcome") reader.add_error(name, "unknown_field", "Only outcome can change.");
  }
  if (reader.ok() && !outcome) reader.add_error("outcome", "required", "Send attended or no_show.");
  if (!reader.ok()) throw domain::Error::validation(reader.errors());
  return *outcome;
}

// The booking as it is now (the Booking schema).
async::Task<http::Response> booking_response(Services& services, std::string id) {
  auto booking = co_await services.bookings.detail(std::move(id));
  if (!booking) throw no_record("booking");
  co_return http::Response::json(200, *booking);
}

}  // namespace

std::span<const std::string_view> booking_periods() {
  static constexpr std::array<std::string_view, 2> periods = {"upcoming", "past"};
  return periods;
}

async::Task<http::Response> list_bookings(Services& services, const http::Request& request) {
  co_await authenticate(services, request, store::Role::sales);
  AdminQuery query(request);
  auto list = query.list();
  domain::BookingFilter filter{query.choice("when", booking_periods()) == std::optional<std::string>("past"), list.from, list.to};
  query.check();
  co_return page_response(co_await services.listing.bookings(std::move(filter), list.cursor, list.limit));
}

// The visitor's cancel, by sales: the same e-mails, webhook and calendar
// removal. Cancelling a cancelled booking changes nothing.
async::Task<void> cancel_booking_as(Services& services, std::string id, store::Actor actor) {
  const auto& config = services.config;
  store::EmailsFor emails = [&config](const store::BookingInfo& info) { return cancelled_notices(config, info); };
  auto result = co_await services.bookings.cancel(store::BookingKey::id(id), std::move(emails));
  switch (result) {
    case store::CancelResult::unknown: throw no_record("booking");
    case store::CancelResult::past: throw started();
    case store::CancelResult::already_cancelled: break;
    case store::CancelResult::cancelled:
      services.audit.record(actor.name, "cancel_booking", nlohmann::json{{"booking_id", id}}.dump());
      break;
  }
}

async::Task<http::Response> cancel_booking(Services& services, const http::Request& request) {
  auto actor = co_await authenticate(services, request, store::Role::sales);
  auto id = record_id(request, "booking");
  co_await cancel_booking_as(services, id, std::move(actor));
  co_return co_await booking_response(services, id);
}

// The visitor's reschedule, by sales, to any host free then. Sales do not
// hold the visitor's link token (only its hash is stored), so the booking
// gets a new one, and the e-mail telling the visitor of the move carries
// its links; the old links stop working.
async::Task<void> reschedule_booking_as(Services& services, std::string id, date::sys_seconds start,
                                        store::Actor actor) {
  const auto& config = services.config;
  auto token = domain::random_hex(link_token_bytes);
  store::Reschedule move;
  move.booking = store::BookingKey::id(id);
  move.slot_start = start;
  move.hosts = booking_hosts(config);
  move.any_host = true;
  move.calendar_max_stale_seconds = config.booking.calendar_max_stale_seconds;
  move.new_token = token;
  move.notices = [&config, links = booking_links(config, token)](const store::BookingInfo& before,
                                                                  const store::BookingInfo& after) {
    return rescheduled_notices(config, before, after, links, now_seconds());
  };
  auto moved = co_await services.bookings.reschedule(std::move(move));
  switch (moved.result) {
    case store::RescheduleResult::unknown: throw no_record("booking");
    case store::RescheduleResult::cancelled:
    case store::RescheduleResult::past: throw started();
    case store::RescheduleResult::moved: break;
  }
  services.audit.record(actor.name, "reschedule_booking",
                        nlohmann::json{{"booking_id", id}, {"start", domain::rfc3339_utc(moved.booking.start)}}.dump());
}

async::Task<http::Response> reschedule_booking(Services& services, const http::Request& request) {
  auto actor = co_await authenticate(services, request, store::Role::sales);
  auto id = record_id(request, "booking");
  auto input = http::decode_form_body(request.header("content-type").value_or(""), request.body);
  auto start = read_slot_start(input);
  co_await reschedule_booking_as(services, id, start, std::move(actor));
  co_return co_await booking_response(services, id);
}

// What came of a meeting that has started: attended or no_show (which sends
// the booking.no_show webhook once).
async::Task<http::Response> patch_booking(Services& services, const http::Request& request) {
  auto actor = co_await authenticate(services, request, store::Role::sales);
  auto id = record_id(request, "booking");
  auto outcome = read_outcome(request);
  const auto& config = services.config;
  store::EmailsFor notices = [&config](const store::BookingInfo& info) { return no_show_notices(config, info); };
  auto result = co_await services.bookings.record_outcome(id, outcome, std::move(notices));
  switch (result) {
    case store::OutcomeResult::unknown: throw no_record("booking");
    case store::OutcomeResult::cancelled:
      throw domain::Error(domain::ErrorKind::conflict, "This meeting was cancelled: it has no outcome.");
    case store::OutcomeResult::not_started:
      throw domain::Error::validation(
          {domain::FieldError{"outcome", "not_started", "The meeting has not started yet."}});
    case store::OutcomeResult::recorded: break;
  }
  services.audit.record(actor.name, "booking_outcome", nlohmann::json{{"booking_id", id}, {"outcome", outcome}}.dump());
  co_return co_await booking_response(services, id);
}

}  // namespace leadgate::handlers
