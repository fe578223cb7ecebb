#include "handlers/booking.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "config/sales_assignees.hpp"
#include "domain/consultation.hpp"
#include "domain/ids.hpp"
#include "domain/wall_clock.hpp"
#include "handlers/booking_mail.hpp"
#include "handlers/form_submission.hpp"
#include "handlers/slot_days.hpp"
#include "http/form_body.hpp"
#include "http/negotiation.hpp"
#include "http/problem.hpp"
#include "http/query.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::string_view form_path = "/v1/forms/consultation";
constexpr std::string_view cancel_path = "/v1/booking/cancel";
constexpr std::string_view reschedule_path = "/v1/booking/reschedule";
constexpr int max_range_days = 62;
// How far ahead the reschedule page lists free slots, in the visitor's days.
constexpr int reschedule_days = 14;

struct SlotQuery {
  date::year_month_day from;
  date::year_month_day to;
  const date::time_zone* zone = nullptr;
  std::optional<std::string> host;
};

domain::FieldError unknown_host(std::string_view field) {
  return {std::string(field), "unknown_host", "There is no host with this id."};
}

// Unknown zone, bad dates or a range over 62 days: 422 naming the parameter.
SlotQuery read_slot_query(const http::Request& request) {
  std::vector<domain::FieldError> errors;
  auto date_of = [&](std::string_view name) {
    auto text = http::query_value(request.query(), name);
    auto parsed = text ? domain::parse_date(*text) : std::nullopt;
    if (!parsed) errors.push_back({std::string(name), "invalid_date", "Must be a date, YYYY-MM-DD."});
    return parsed.value_or(date::year_month_day{});
  };
  SlotQuery query{date_of("from"), date_of("to"), nullptr, std::nullopt};
  if (auto host = http::query_value(request.query(), "host"); host && !host->empty()) query.host = std::string(*host);
  auto zone = http::query_value(request.query(), "tz");
  query.zone = zone ? domain::find_zone(*zone) : nullptr;
  if (query.zone == nullptr) errors.push_back({"tz", "unknown_timezone", "Must be a time zone name like Europe/Berlin."});
  if (errors.empty()) {
    auto days = (date::sys_days(query.to) - date::sys_days(query.from)).count();
    if (days < 0) errors.push_back({"to", "before_from", "Must not be before from."});
    if (days >= max_range_days) {
      errors.push_back({"to", "range_too_long", "The range may cover at most " + std::to_string(max_range_days) + " days."});
    }
  }
  if (!errors.empty()) throw domain::Error::validation(std::move(errors));
  return query;
}

// The link of an e-mail that leads nowhere (404) or to a meeting that is
// over (410): a page for a browser, problem+json for a script.
http::Response link_failure(const Services& services, const http::Request& request, domain::ErrorKind kind) {
  if (request.method == http::Method::get || http::wants_html(request)) {
    return services.errors.invalid_link(kind == domain::ErrorKind::gone ? 410 : 404);
  }
  return http::problem_response(domain::Error(
      kind, kind == domain::ErrorKind::gone ? "This consultation has started or was cancelled."
                                            : "There is no consultation with this link."));
}

}  // namespace

date::sys_seconds read_slot_start(const domain::FormInput& input) {
  const auto* field = input.find("slot_start");
  if (field == nullptr || field->values.empty() || field->values.front().empty()) {
    throw domain::Error::validation({{"slot_start", "required", "Choose a new time."}});
  }
  auto start = field->values.size() == 1 && !field->is_list && field->type == domain::ValueType::text
                   ? domain::parse_rfc3339(field->values.front())
                   : std::nullopt;
  if (!start) {
    throw domain::Error::validation(
        {{"slot_start", "invalid_datetime", "Must be a time in RFC 3339, e.g. 2026-12-02T09:00:00Z."}});
  }
  return *start;
}

date::sys_seconds read_slot_start_in_zone(const domain::FormInput& input) {
  auto local = domain::parse_datetime_local(form_text(input, "slot_start"));
  if (!local) return read_slot_start(input);
  std::string zone_name(form_text(input, "tz"));
  if (zone_name.empty()) zone_name = "UTC";
  const auto* zone = domain::find_zone(zone_name);
  if (zone == nullptr) {
    throw domain::Error::validation({{"tz", "unknown_timezone", "Must be a time zone name like Europe/Berlin."}});
  }
  auto start = domain::unique_instant(*local, *zone);
  if (!start) {
    throw domain::Error::validation({{"slot_start", "clock_change",
                                      "A clock change in " + zone_name +
                                          " skips or repeats this time: choose another, or show the times in UTC."}});
  }
  return *start;
}

nlohmann::json moved_json(const store::BookingInfo& booking) {
  return {{"id", booking.id},
          {"status", "booked"},
          {"start", domain::rfc3339_utc(booking.start)},
          {"end", domain::rfc3339_utc(booking.end)}};
}

BookingHandlers::BookingHandlers(Services& services)
    : services_(services),
      business_zone_(domain::find_zone(services.config.booking.timezone)),
      hosts_(booking_hosts(services.config)),
      form_(services, {"consultation",
                       std::string(form_path),
                       with_common_fields({
                           {"name", "Your name", FieldKind::text, true, {}},
                           {"email", "E-mail", FieldKind::email, true, {}},
                           {"company", "Company", FieldKind::text, false, {}},
                           {"phone", "Phone", FieldKind::tel, false, {}},
                           {"host", "", FieldKind::hidden, false, {}},
                           {"topic", "What would you like to talk about?", FieldKind::textarea, false, {}},
                           // Shown only when refused: the visitor then types another time.
                           {"slot_start", "Meeting time, e.g. 2026-12-02T09:00:00Z", FieldKind::hidden, false, {}},
                           {"timezone", "", FieldKind::hidden, false, {}},
                           {"consent_marketing", "Send me occasional news by e-mail", FieldKind::checkbox, false, {}},
                       }),
                       services.config.forms.success_url.consultation, "topic"}) {}

async::Task<http::Response> BookingHandlers::slots(const http::Request& request) const {
  auto query = read_slot_query(request);
  auto hosts = hosts_named(hosts_, query.host);
  if (!hosts) throw domain::Error::validation({unknown_host("host")});
  auto free = co_await free_slots(*hosts, {query.from, query.to}, query.zone, std::nullopt);
  nlohmann::json slots = nlohmann::json::array();
  for (const auto& slot : free) {
    slots.push_back({{"start", domain::rfc3339_utc(slot.start)},
                     {"end", domain::rfc3339_utc(slot.end)},
                     {"local_start", domain::rfc3339_local(slot.start, query.zone)}});
  }
  nlohmann::json body = {{"timezone", query.zone->name()}, {"slots", std::move(slots)}};
  co_return http::Response::json(200, body.dump());
}

// Whatever refuses a booking (a bad field, a slot taken or no longer
// offered, the database away), a plain HTML form comes back with the
// visitor's entries: they choose another time instead of typing everything
// again.
async::Task<http::Response> BookingHandlers::book(const http::Request& request) const {
  auto submission = form_.read(request);
  auto parsed = domain::parse_consultation(submission.input, *business_zone_);
  if (auto* errors = std::get_if<std::vector<domain::FieldError>>(&parsed)) {
    throw form_.refusal(submission, domain::Error::validation(*errors));
  }
  std::optional<PlacedBooking> placed;
  try {
    placed = co_await place(submission, std::get<domain::ConsultationRequest>(std::move(parsed)));
  } catch (const domain::Error& error) {
    std::vector<domain::FieldError> taken;
    if (error.kind() == domain::ErrorKind::conflict) taken.push_back({"slot_start", "taken", error.detail()});
    throw form_.refusal(submission, error, taken);
  }
  co_return form_.accepted(submission, placed->answer);
}

// The slot must be one /slots offers now; the database takes one of two
// requests for it and refuses the other (409).
async::Task<PlacedBooking> BookingHandlers::place(Submission& submission,
                                                  domain::ConsultationRequest consultation) const {
  auto hosts = hosts_named(hosts_, consultation.host);
  if (!hosts) throw domain::Error::validation({unknown_host("host")});
  co_await form_.screen(submission);

  const auto& config = services_.config;
  store::NewBooking booking;
  booking.lead_id = domain::new_uuid_v7();
  booking.booking_id = domain::new_uuid_v7();
  auto end = consultation.slot_start + std::chrono::minutes(config.booking.slot_minutes);
  store::Answer answer{201,
                       nlohmann::json{{"id", booking.booking_id},
                                      {"status", "booked"},
                                      {"start", domain::rfc3339_utc(consultation.slot_start)},
                                      {"end", domain::rfc3339_utc(end)}}
                           .dump(),
                       false};
  // A bot gets the answer a person gets; it is stored as a spam lead and
  // holds no slot.
  booking.spam = submission.spam;
  booking.is_spam = form_.is_spam(submission);
  booking.message_digest = submission.message_digest;
  booking.spam_threshold = config.forms.spam_threshold;
  booking.assignees = config::assignment_turns(config.sales);
  booking.consent_version = consultation.consent_version.value_or(config.forms.consent_version);
  booking.client_address = submission.client_address;
  booking.user_agent = submission.user_agent;
  booking.cancel_token = domain::random_hex(link_token_bytes);
  booking.hosts = std::move(*hosts);
  booking.calendar_max_stale_seconds = config.booking.calendar_max_stale_seconds;
  booking.visitor_email_cap = config.limits.emails_per_recipient_per_day;
  booking.max_active_per_address = config.booking.max_active_per_address;
  booking.max_active_per_network = config.booking.max_active_per_network;
  auto links = booking_links(config, booking.cancel_token);
  BookingExtras extras{consultation.topic, consultation.company, consultation.phone};
  booking.emails = [&config, extras, links](const store::BookingInfo& info) {
    return booked_notices(config, info, extras, links, now_seconds());
  };
  booking.request = std::move(consultation);
  PlacedBooking placed{{}, booking.cancel_token};
  auto claim = form_.claim(submission, answer);
  placed.answer = co_await services_.bookings.book(std::move(booking), std::move(claim), answer);
  if (!placed.answer.replayed) services_.metrics.count_lead("consultation", form_.is_spam(submission));
  co_return placed;
}

async::Task<std::vector<domain::Slot>> BookingHandlers::free_slots(const BookingHosts& hosts, DayRange days,
                                                                   const date::time_zone* zone,
                                                                   std::optional<std::string> except_booking) const {
  // Every meeting and busy time that could touch a slot of the range,
  // whatever the zones.
  auto from = date::sys_seconds(date::sys_days(days.first) - date::days(2));
  auto to = date::sys_seconds(date::sys_days(days.last) + date::days(3));
  auto availability = co_await services_.bookings.availability(
      from, to, hosts, services_.config.booking.calendar_max_stale_seconds, std::move(except_booking));
  co_return domain::free_slots_of_hosts(*hosts, availability, days.first, days.last, zone, now_seconds());
}

async::Task<http::Response> BookingHandlers::cancel_page(const http::Request& request) const {
  auto token = link_token(request);
  if (!token) co_return services_.errors.invalid_link(404);
  auto booking = co_await services_.bookings.find(store::BookingKey::token(*token));
  if (!booking) co_return services_.errors.invalid_link(404);
  if (booking->status == "cancelled") co_return http::Response::html(200, services_.pages.render("booking_cancelled", {}));
  if (booking->start <= now_seconds()) co_return services_.errors.invalid_link(410);
  auto* zone = domain::find_zone(booking->visitor_timezone);
  auto when = readable_time(booking->start, zone != nullptr ? zone : business_zone_);
  auto action = services_.config.http.public_url + std::string(cancel_path) + "?token=" + *token;
  co_return http::Response::html(200, services_.pages.render("booking_cancel", {{"action", action}, {"when", when}}));
}

async::Task<http::Response> BookingHandlers::cancel(const http::Request& request) const {
  auto token = link_token(request);
  if (!token) co_return services_.errors.invalid_link(404);
  const auto& config = services_.config;
  // Built before the co_await, not inside it (see service/async/README.md).
  store::EmailsFor emails = [&config](const store::BookingInfo& info) { return cancelled_notices(config, info); };
  auto result = co_await services_.bookings.cancel(store::BookingKey::token(*token), std::move(emails));
  switch (result) {
    case store::CancelResult::unknown: co_return services_.errors.invalid_link(404);
    case store::CancelResult::past: co_return services_.errors.invalid_link(410);
    case store::CancelResult::cancelled:
    case store::CancelResult::already_cancelled: break;
  }
  co_return http::Response::see_other(config.http.public_url + "/booking/cancelled");
}

// The booking and a form of the free slots of the next 14 days in the
// visitor's zone (the one stored with the booking), grouped by day, as radio
// buttons: the page needs no script. The slots are those of the booking's
// host when the visitor named one, else of every host; the booking's own
// meeting does not count as busy, and its current time is not listed.
async::Task<http::Response> BookingHandlers::reschedule_page(const http::Request& request) const {
  auto token = link_token(request);
  if (!token) co_return services_.errors.invalid_link(404);
  auto booking = co_await services_.bookings.find(store::BookingKey::token(*token));
  if (!booking) co_return services_.errors.invalid_link(404);
  auto now = now_seconds();
  if (booking->status == "cancelled" || booking->start <= now) co_return services_.errors.invalid_link(410);
  const auto* zone = domain::find_zone(booking->visitor_timezone);
  if (zone == nullptr) zone = business_zone_;
  auto hosts = booking->host_requested ? hosts_named(hosts_, booking->host_id).value_or(hosts_) : hosts_;
  auto free = co_await free_slots(hosts, days_from_today(zone, now, reschedule_days), zone, booking->id);
  auto listed = slot_days(free, zone, booking->start);
  auto action = services_.config.http.public_url + std::string(reschedule_path) + "?token=" + *token;
  auto cancel = services_.config.http.public_url + std::string(cancel_path) + "?token=" + *token;
  nlohmann::json page = {{"when", readable_time(booking->start, zone)},
                         {"timezone", zone->name()},
                         {"action", action},
                         {"cancel_url", cancel},
                         {"has_slots", !listed.empty()},
                         {"days", std::move(listed)}};
  co_return http::Response::html(200, services_.pages.render("booking_reschedule", page));
}

// slot_start, from a plain form (a radio button of the page) or JSON.
async::Task<http::Response> BookingHandlers::reschedule(const http::Request& request) const {
  auto token = link_token(request);
  if (!token) co_return link_failure(services_, request, domain::ErrorKind::not_found);
  // Each move mails the visitor, sales and the host: a script holding a
  // link must not make that a flood.
  if (auto wait = services_.rate_limiter.take(request.client_address, "reschedule")) {
    domain::Error error(domain::ErrorKind::rate_limited, "Too many changes from your address. Please wait a moment.");
    error.with_header("Retry-After", std::to_string(*wait));
    throw error;
  }
  auto input = http::decode_form_body(request.header("content-type").value_or(""), request.body);
  auto start = read_slot_start(input);
  const auto& config = services_.config;
  store::Reschedule move;
  move.booking = store::BookingKey::token(*token);
  move.slot_start = start;
  move.hosts = hosts_;
  move.calendar_max_stale_seconds = config.booking.calendar_max_stale_seconds;
  // The visitor keeps their token: the links of every e-mail they have stay
  // valid, the new ones carry the same.
  move.notices = [&config, links = booking_links(config, *token)](const store::BookingInfo& before,
                                                                   const store::BookingInfo& after) {
    return rescheduled_notices(config, before, after, links, now_seconds());
  };
  auto moved = co_await services_.bookings.reschedule(std::move(move));
  switch (moved.result) {
    case store::RescheduleResult::unknown: co_return link_failure(services_, request, domain::ErrorKind::not_found);
    case store::RescheduleResult::cancelled:
    case store::RescheduleResult::past: co_return link_failure(services_, request, domain::ErrorKind::gone);
    case store::RescheduleResult::moved: break;
  }
  if (http::wants_html(request)) co_return http::Response::see_other(config.http.public_url + "/booking/rescheduled");
  co_return http::Response::json(200, moved_json(moved.booking).dump());
}

}  // namespace leadgate::handlers
