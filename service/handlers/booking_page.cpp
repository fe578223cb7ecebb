#include "handlers/booking_page.hpp"

#include <boost/url/url.hpp>

#include <algorithm>
#include <array>

#include "domain/consultation.hpp"
#include "domain/field_reader.hpp"
#include "domain/text.hpp"
#include "handlers/booking_mail.hpp"
#include "handlers/slot_days.hpp"
#include "http/origin.hpp"
#include "http/query.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::string_view book_path = "/book";
// As far ahead as the page lists free slots, in the visitor's days.
constexpr int listed_days = 14;

// What a visitor typed in an earlier step (or on a website's form) and
// carries to the next: the consultation's own fields, nothing else.
constexpr std::array<std::string_view, 14> carried_fields = {
    "name",     "email",      "company",    "phone",      "topic",        "consent_marketing", "consent_version",
    "page_url", "referrer",   "utm_source", "utm_medium", "utm_campaign", "utm_term",          "utm_content"};
// The details page shows these as fields of their own.
bool shown_on_details(std::string_view name) {
  return name == "name" || name == "email" || name == "topic" || name == "consent_marketing";
}

// The zones of the continents and oceans ("Europe/Berlin"; not "Etc/GMT+1"
// or the old country aliases "US/Eastern"), grouped by region for the
// select of visitors without scripts.
nlohmann::json zone_groups() {
  static constexpr std::array<std::string_view, 10> regions = {
      "Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"};
  std::vector<std::string> names;
  for (const auto& zone : date::get_tzdb().zones) {
    std::string name(zone.name());
    auto slash = name.find('/');
    if (slash != std::string::npos &&
        std::find(regions.begin(), regions.end(), std::string_view(name).substr(0, slash)) != regions.end()) {
      names.push_back(std::move(name));
    }
  }
  std::sort(names.begin(), names.end());
  nlohmann::json groups = nlohmann::json::array();
  for (const auto& name : names) {
    auto region = name.substr(0, name.find('/'));
    if (groups.empty() || groups.back()["region"] != region) {
      groups.push_back({{"region", region}, {"zones", nlohmann::json::array()}});
    }
    groups.back()["zones"].push_back({{"name", name}, {"selected", false}});
  }
  return groups;
}

// `zone` as the one selected; a zone the list lacks (a link name a script
// sent) is added to its region.
nlohmann::json zones_selecting(nlohmann::json groups, std::string_view zone) {
  for (auto& group : groups) {
    for (auto& entry : group["zones"]) {
      if (entry["name"] == zone) {
        entry["selected"] = true;
        return groups;
      }
    }
  }
  groups.push_back({{"region", "Other"}, {"zones", {{{"name", zone}, {"selected", true}}}}});
  return groups;
}

// The carried fields the visitor sent and `keep` wants, as hidden inputs.
template <class Keep>
nlohmann::json carried(const domain::FormInput& entries, Keep keep) {
  nlohmann::json fields = nlohmann::json::array();
  for (auto name : carried_fields) {
    if (!keep(name)) continue;
    if (auto value = form_text(entries, name); !value.empty()) fields.push_back({{"name", name}, {"value", value}});
  }
  return fields;
}

// The fill-time check (`_ts`) counts from the first step the visitor saw:
// the time to choose a slot and to type, not the last page's alone.
std::string rendered_at(const domain::FormInput& entries) {
  auto first = std::string(form_text(entries, "_ts"));
  bool is_number = !first.empty() && first.size() <= 20 && std::all_of(first.begin(), first.end(), [](char c) {
    return (c >= '0' && c <= '9') || c == '.';
  });
  return is_number ? first : std::to_string(now_seconds().time_since_epoch().count());
}

// The label of a field the details page shows, for its error summary;
// "" for the others (a captcha), whose message stands alone.
std::string_view field_label(std::string_view field) {
  if (field == "name") return "Your name";
  if (field == "email") return "E-mail";
  if (field == "topic") return "Topic";
  return "";
}

std::string book_url(const BookingVisit& visit) {
  boost::urls::url url(book_path);
  url.params().set("tz", visit.zone->name());
  if (visit.host) url.params().set("host", *visit.host);
  return std::string(url.buffer());
}

bool is_slot_field(const domain::FieldError& error) {
  return error.field == "slot_start" || error.field == "timezone" || error.field == "host";
}

}  // namespace

BookingPage::BookingPage(Services& services, std::shared_ptr<const BookingHandlers> booking)
    : services_(services),
      booking_(std::move(booking)),
      // The consultation's bucket and Idempotency-Key scope: the page is one
      // more way to book, not one more allowance.
      form_(services, {"consultation", std::string(book_path), {}, services.config.forms.success_url.consultation}),
      captcha_(captcha_widget(services.config)),
      content_security_policy_(
          page_content_security_policy(http::origin_of(services.config.http.public_url).value_or(""), std::nullopt)),
      details_content_security_policy_(
          page_content_security_policy(http::origin_of(services.config.http.public_url).value_or(""), captcha_)),
      zone_groups_(zone_groups()) {}

async::Task<http::Response> BookingPage::show(const http::Request& request) const {
  BookingVisit visit;
  auto zone = http::query_value(request.query(), "tz");
  visit.zone = zone ? domain::find_zone(*zone) : nullptr;
  if (visit.zone == nullptr) visit.zone = booking_->business_zone();
  if (auto host = http::query_value(request.query(), "host"); host && !host->empty()) visit.host = std::string(*host);
  co_return co_await slots_page(visit, 200, "");
}

// A plain form walks the steps with one address: without a time it is
// shown the times, with a time just chosen it is asked who is coming, and
// with both it books. A refusal sends the visitor back to the step that
// can fix it, entries kept.
async::Task<http::Response> BookingPage::step(const http::Request& request) const {
  auto submission = form_.read(request);
  BookingVisit visit;
  visit.zone = domain::find_zone(form_text(submission.input, "timezone"));
  if (visit.zone == nullptr) visit.zone = booking_->business_zone();
  if (auto host = form_text(submission.input, "host"); !host.empty()) visit.host = std::string(host);
  visit.entries = submission.input;

  auto slot_text = form_text(submission.input, "slot_start");
  if (slot_text.empty()) co_return co_await slots_page(visit, 200, "");
  auto slot = domain::parse_rfc3339(slot_text);
  if (!slot) co_return co_await slots_page(visit, 422, "Please choose one of the times below.");
  if (form_text(submission.input, "_step") == "slot") co_return details_page(visit, *slot, 200, {});

  auto parsed = domain::parse_consultation(submission.input, *booking_->business_zone());
  if (auto* errors = std::get_if<std::vector<domain::FieldError>>(&parsed)) {
    if (std::any_of(errors->begin(), errors->end(), is_slot_field)) {
      co_return co_await slots_page(visit, 422, "Please choose one of the times below.");
    }
    co_return details_page(visit, *slot, 422, *errors);
  }
  std::optional<PlacedBooking> placed;
  std::optional<domain::Error> refused;
  try {
    placed = co_await booking_->place(submission, std::get<domain::ConsultationRequest>(std::move(parsed)));
  } catch (const domain::Error& error) {
    if (error.kind() != domain::ErrorKind::conflict && error.kind() != domain::ErrorKind::validation_failed) throw;
    refused = error;
  }
  if (refused && refused->kind() == domain::ErrorKind::conflict) {
    co_return co_await slots_page(visit, 409, "That time was just taken. Please choose another one.");
  }
  if (refused) {
    const auto& errors = refused->field_errors();
    if (std::any_of(errors.begin(), errors.end(), is_slot_field)) {
      co_return co_await slots_page(visit, 422, "That time cannot be booked any more. Please choose another one.");
    }
    co_return details_page(visit, *slot, 422, errors);
  }
  co_return http::Response::see_other(services_.config.http.public_url + std::string(book_path) +
                                      "/confirmed?token=" + placed->token);
}

async::Task<http::Response> BookingPage::confirmed(const http::Request& request) const {
  auto token = link_token(request);
  if (!token) co_return services_.errors.invalid_link(404);
  auto booking = co_await services_.bookings.find(store::BookingKey::token(*token));
  if (!booking) co_return services_.errors.invalid_link(404);
  if (booking->status == "cancelled") co_return page(200, "booking_cancelled", nlohmann::json::object());
  const auto& config = services_.config;
  const auto* business = booking_->business_zone();
  const auto* visitor = domain::find_zone(booking->visitor_timezone);
  if (visitor == nullptr) visitor = business;
  auto links = booking_links(config, *token);
  const auto& hosts = *booking_->hosts();
  auto host = std::find_if(hosts.begin(), hosts.end(), [&](const auto& h) { return h.id == booking->host_id; });
  nlohmann::json data = {
      {"start", domain::rfc3339_utc(booking->start)},
      {"when_visitor", readable_time(booking->start, visitor)},
      {"when_business", visitor == business ? nlohmann::json(false)
                                            : nlohmann::json(readable_time(booking->start, business))},
      {"minutes", std::chrono::duration_cast<std::chrono::minutes>(booking->end - booking->start).count()},
      {"host", config.booking.hosts.empty() || host == hosts.end() ? nlohmann::json(false)
                                                                   : nlohmann::json(host->name)},
      {"meeting_url", config.booking.meeting_url.empty() ? nlohmann::json(false)
                                                         : nlohmann::json(meeting_url(config, *booking))},
      {"email", booking->email},
      {"ics_url", config.http.public_url + std::string(book_path) + "/event.ics?token=" + *token},
      {"reschedule_url", links.reschedule_url},
      {"cancel_url", links.cancel_url},
  };
  co_return page(200, "book_confirmed", std::move(data));
}

async::Task<http::Response> BookingPage::event(const http::Request& request) const {
  auto token = link_token(request);
  if (!token) co_return services_.errors.invalid_link(404);
  auto booking = co_await services_.bookings.find(store::BookingKey::token(*token));
  if (!booking || booking->status == "cancelled") co_return services_.errors.invalid_link(404);
  auto response = http::Response::text(200, calendar_file(services_.config, *booking, booking_links(services_.config, *token)),
                                       "text/calendar; charset=UTF-8");
  response.with_header("Content-Disposition", "attachment; filename=\"consultation.ics\"");
  co_return response;
}

// The days of the next two weeks with their free times, in the visitor's
// zone; `notice` says why they are back here (a time just taken).
async::Task<http::Response> BookingPage::slots_page(const BookingVisit& visit, int status, std::string notice) const {
  auto hosts = hosts_named(booking_->hosts(), visit.host);
  BookingVisit shown = visit;
  if (!hosts) {
    // A link to a host who no longer takes bookings: the team's times.
    shown.host.reset();
    hosts = booking_->hosts();
    if (notice.empty()) notice = "This person does not take bookings here any more; these are the team's times.";
  }
  auto free = co_await booking_->free_slots(*hosts, days_from_today(shown.zone, now_seconds(), listed_days), shown.zone,
                                            std::nullopt);
  auto data = visit_data(shown);
  auto days = slot_days(free, shown.zone);
  data["has_slots"] = !days.empty();
  data["days"] = std::move(days);
  data["notice"] = notice.empty() ? nlohmann::json(false) : nlohmann::json(std::move(notice));
  data["zones"] = zones_selecting(zone_groups_, shown.zone->name());
  data["host_name"] = false;
  if (shown.host && !services_.config.booking.hosts.empty()) data["host_name"] = (*hosts)->front().name;
  data["carried"] = carried(visit.entries, [](std::string_view) { return true; });
  data["rendered_at"] = rendered_at(visit.entries);
  co_return page(status, "book", std::move(data));
}

http::Response BookingPage::details_page(const BookingVisit& visit, date::sys_seconds slot, int status,
                                         const std::vector<domain::FieldError>& errors) const {
  auto data = visit_data(visit);
  data["slot_start"] = domain::rfc3339_utc(slot);
  data["when_visitor"] = readable_time(slot, visit.zone);
  data["when_business"] =
      visit.zone == booking_->business_zone() ? nlohmann::json(false)
                                              : nlohmann::json(readable_time(slot, booking_->business_zone()));
  data["rendered_at"] = rendered_at(visit.entries);
  data["honeypot"] = {{"name", services_.config.forms.honeypot_field},
                      {"value", form_text(visit.entries, services_.config.forms.honeypot_field)}};
  data["has_errors"] = !errors.empty();
  data["errors"] = nlohmann::json::array();
  bool focused = false;
  for (auto name : {"name", "email", "topic"}) {
    auto error = std::find_if(errors.begin(), errors.end(), [&](const auto& e) { return e.field == name; });
    nlohmann::json field = {{"value", form_text(visit.entries, name)}, {"error", false}, {"autofocus", false}};
    if (error != errors.end()) {
      field["error"] = error->message;
      field["autofocus"] = !focused;
      focused = true;
    }
    data[name] = std::move(field);
  }
  for (const auto& error : errors) {
    auto label = field_label(error.field);
    data["errors"].push_back({{"field", error.field}, {"label", label}, {"message", error.message}});
  }
  data["consent_marketing"] = domain::parse_flag(form_text(visit.entries, "consent_marketing")).value_or(false);
  data["carried"] = carried(visit.entries, [](std::string_view name) { return !shown_on_details(name); });
  // The booking is posted from this page: with forms.captcha on, the
  // provider's widget adds its token to the form.
  data["captcha"] = captcha_ ? nlohmann::json{{"element_class", captcha_->element_class},
                                              {"site_key", captcha_->site_key},
                                              {"script_url", captcha_->script_url}}
                             : nlohmann::json(false);
  return page(status, "book_details", std::move(data), details_content_security_policy_);
}

nlohmann::json BookingPage::visit_data(const BookingVisit& visit) const {
  return {{"action", services_.config.http.public_url + std::string(book_path)},
          {"timezone", visit.zone->name()},
          {"host", visit.host ? nlohmann::json(*visit.host) : nlohmann::json(false)},
          {"back_url", book_url(visit)},
          {"script", "/assets/" + services_.pages.embed_script_file()}};
}

http::Response BookingPage::page(int status, std::string_view name, nlohmann::json data) const {
  return page(status, name, std::move(data), content_security_policy_);
}

http::Response BookingPage::page(int status, std::string_view name, nlohmann::json data,
                                 const std::string& policy) const {
  auto response = http::Response::html(status, services_.pages.render(name, data));
  // Scripts from leadgate itself (the page's own embed.js, nothing inline)
  // and, on the details page, the captcha provider's.
  response.with_header("Content-Security-Policy", policy);
  return response;
}

}  // namespace leadgate::handlers
