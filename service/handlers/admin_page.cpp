#include "handlers/admin_page.hpp"

#include <openssl/crypto.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <functional>
#include <span>
#include <string>
#include <utility>

#include "async/task.hpp"
#include "domain/consultation.hpp"
#include "domain/digest.hpp"
#include "domain/ids.hpp"
#include "domain/text.hpp"
#include "domain/wall_clock.hpp"
#include "handlers/admin_bookings.hpp"
#include "handlers/admin_dashboard.hpp"
#include "handlers/admin_lead_page.hpp"
#include "handlers/admin_leads.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/admin_subscribers.hpp"
#include "handlers/booking.hpp"
#include "handlers/export_response.hpp"
#include "http/form_body.hpp"
#include "http/origin.hpp"
#include "http/query.hpp"

namespace leadgate::handlers {

namespace {

using http::Method;

constexpr std::string_view cookie_name = "leadgate_session";

// "PREFIX" and 48 lower-case hex digits: an API token (lg_) or a session id (ls_).
bool is_secret(std::string_view text, std::string_view prefix) {
  return text.size() == 51 && text.starts_with(prefix) &&
         std::all_of(text.begin() + 3, text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool is_token(std::string_view text) { return is_secret(text, "lg_"); }

// The cookie holds a random session id, never the token: the server keeps
// the session (store::TokenStore), so it expires there, ends at sign-out
// and with its token, and a stolen cookie is worth one session at most.
std::string new_session_id() { return "ls_" + domain::random_hex(24); }

constexpr auto session_lifetime = std::chrono::hours(8);

std::optional<std::string> session_id(const http::Request& request) {
  auto cookies = request.header("cookie").value_or("");
  while (!cookies.empty()) {
    auto end = cookies.find(';');
    auto cookie = domain::trim(cookies.substr(0, end));
    cookies = end == std::string_view::npos ? std::string_view{} : cookies.substr(end + 1);
    if (cookie.starts_with(cookie_name) && cookie.size() > cookie_name.size() && cookie[cookie_name.size()] == '=') {
      auto value = cookie.substr(cookie_name.size() + 1);
      if (is_secret(value, "ls_")) return std::string(value);
    }
  }
  return std::nullopt;
}

// Derived from the session id: only a page the server rendered for this
// session can carry it, and a cross-site form cannot guess it.
std::string csrf_for(const std::string& session) { return domain::hmac_sha256_hex(session, "leadgate admin csrf"); }

bool csrf_ok(const domain::FormInput& input, const std::string& token) {
  const auto* sent = input.find("csrf");
  if (sent == nullptr || sent->values.size() != 1) return false;
  auto expected = csrf_for(token);
  const auto& value = sent->values.front();
  return value.size() == expected.size() && CRYPTO_memcmp(value.data(), expected.data(), expected.size()) == 0;
}

// What every admin page sends besides the headers of every HTML page
// (http/policies.cpp): no framing, no scripts at all, nothing cached.
http::Response page(Services& services, int status, std::string_view name, const nlohmann::json& data) {
  auto response = http::Response::html(status, services.pages.render(name, data));
  response.with_header("Content-Security-Policy",
                       "default-src 'self'; script-src 'none'; frame-ancestors 'none'; form-action 'self'");
  response.with_header("Cache-Control", "no-store");
  return response;
}

http::Response sign_in_page(Services& services, int status, std::string_view problem) {
  return page(services, status, "admin_signin", {{"problem", problem.empty() ? nlohmann::json(false) : nlohmann::json(problem)}});
}

std::string session_cookie(const Services& services, std::string_view value, int max_age) {
  bool tls = services.config.http.public_url.starts_with("https://");
  return std::string(cookie_name) + "=" + std::string(value) + "; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age) + (tls ? "; Secure" : "");
}

// Who is signed in: the session's holder, or nothing with what the sign-in
// page should say.
struct Session {
  std::optional<store::Actor> actor;
  std::string id;
  std::string problem;
};

async::Task<Session> signed_in(Services& services, const http::Request& request) {
  auto id = session_id(request);
  if (!id) co_return Session{};
  auto actor = co_await services.tokens.session(*id);
  if (!actor) co_return Session{std::nullopt, "", "Your session ended. Please sign in again."};
  co_return Session{std::move(actor), std::move(*id), ""};
}

// Login CSRF: a sign-in form that another site posts would sign the
// victim's browser in as the attacker (whose leads page then collects what
// the victim types). Browsers say where a form comes from: Sec-Fetch-Site,
// else Origin. A request with neither is not a browser's cross-site form.
bool posted_from_this_site(const Services& services, const http::Request& request) {
  if (auto site = request.header("sec-fetch-site")) return *site == "same-origin" || *site == "none";
  auto origin = request.header("origin");
  if (!origin) return true;
  if (auto own = http::origin_of(services.config.http.public_url); own && *origin == *own) return true;
  // Reached under another name than http.public_url (a proxy's): the Host
  // the browser sent, with either scheme.
  auto host = request.header("host").value_or("");
  return !host.empty() && (*origin == "https://" + std::string(host) || *origin == "http://" + std::string(host));
}

// A form that changes something must come from a page this session got.
void require_csrf(const domain::FormInput& input, const Session& session) {
  if (!csrf_ok(input, session.id)) {
    throw domain::Error(domain::ErrorKind::forbidden, "This form has expired. Go back, reload the page and try again.");
  }
}

// A page's form post: who sent it and what, its CSRF token checked. The
// form is read only for a signed-in session; otherwise `input` stays empty
// and the caller answers with the sign-in page.
struct PagePost {
  Session session;
  domain::FormInput input;
};

async::Task<PagePost> signed_in_post(Services& services, const http::Request& request) {
  PagePost post;
  post.session = co_await signed_in(services, request);
  if (!post.session.actor) co_return post;
  post.input = http::decode_form_body(request.header("content-type").value_or(""), request.body);
  require_csrf(post.input, post.session);
  co_return post;
}

nlohmann::json parsed_items(const store::Page& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& item : page.items) items.push_back(nlohmann::json::parse(item));
  return items;
}

// "2026-11-29T15:37:41.123456+00:00" → "2026-11-29 15:37"
std::string short_time(const nlohmann::json& value) {
  if (!value.is_string()) return "";
  auto text = value.get<std::string>();
  return text.size() >= 16 ? text.substr(0, 10) + " " + text.substr(11, 5) : text;
}

std::string url_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0x0F];
    }
  }
  return out;
}

// A mailto: link to `address`. A local part may hold ? & = % # (RFC 5322
// atext), which a mail client reads as the start of headers
// ("victim?bcc=…@example.com"): every character with a meaning in a URL is
// percent-encoded; the @ stays, as RFC 6068 writes an address.
std::string mailto(const nlohmann::json& address) {
  if (!address.is_string()) return "";
  auto text = address.get<std::string>();
  auto at = text.rfind('@');
  if (at == std::string::npos) return "mailto:" + url_encode(text);
  return "mailto:" + url_encode(std::string_view(text).substr(0, at)) + "@" +
         url_encode(std::string_view(text).substr(at + 1));
}

// "?a=1&b=2" from filters as described (empty when there are none): links
// from a page keep its filters.
std::string query_string(const nlohmann::json& described) {
  std::string out;
  for (const auto& [name, value] : described.items()) {
    out += (out.empty() ? "?" : "&") + name + "=" + url_encode(value.get<std::string>());
  }
  return out;
}

// A <select>'s options, with `selected` marked.
nlohmann::json options(std::span<const std::string_view> values, std::string_view selected) {
  nlohmann::json out = nlohmann::json::array();
  for (auto value : values) out.push_back({{"value", value}, {"selected", value == selected}});
  return out;
}

// What a tab reads from its query string: which rows, and how they are
// shown (the bookings tab's times depend on the zone it was asked for).
struct TabFilters {
  std::function<async::Task<store::Page>(store::Listing&, store::Listing::After, int limit)> page;
  nlohmann::json described = nlohmann::json::object();  // as given, for links
  nlohmann::json form = nlohmann::json::object();       // what the filter form shows
  std::function<nlohmann::json(nlohmann::json)> shape;  // one row as the template shows it
};

// One tab of the admin page: a listing, its filters, its template.
struct Tab {
  std::string path;  // the tab's own URL
  std::string template_name;
  std::function<TabFilters(AdminQuery&, const ListQuery&, const config::Config&)> read_filters;
};

// A page of rows of `tab`, its filters kept in the links to the next page
// and back from a form.
async::Task<http::Response> tab_page(Services& services, const http::Request& request, const Tab& tab) {
  auto session = co_await signed_in(services, request);
  if (!session.actor) co_return sign_in_page(services, 401, session.problem);
  AdminQuery query(request);
  auto list = query.list();
  auto filters = tab.read_filters(query, list, services.config);
  query.check();
  auto result = co_await filters.page(services.listing, list.cursor, list.limit);
  auto back = tab.path + query_string(filters.described);
  nlohmann::json rows = nlohmann::json::array();
  for (auto& item : parsed_items(result)) rows.push_back(filters.shape(std::move(item)));
  nlohmann::json data = filters.form;
  data.update({{"actor", session.actor->name}, {"csrf", csrf_for(session.id)}, {"items", rows},
               {"empty", rows.empty()}, {"back", back},
               {"my_leads_url", "/admin/?owner=" + url_encode(session.actor->name)}});
  data["next_url"] = result.next ? nlohmann::json(back + (back.find('?') == std::string::npos ? "?" : "&") +
                                                  "cursor=" + domain::encode_cursor(*result.next))
                                 : nlohmann::json(false);
  co_return page(services, 200, tab.template_name, data);
}

// Times shown to the minute, next to the full value; the e-mail address as
// a link.
nlohmann::json with_short_times(nlohmann::json item) {
  for (const char* field : {"created_at", "confirmed_at"}) {
    if (item.contains(field)) item[std::string(field) + "_short"] = short_time(item[field]);
  }
  if (item.contains("email")) item["mailto"] = mailto(item["email"]);
  return item;
}

// What sales read for a spam signal's code (domain/spam_score.hpp): the
// code names the check, the label says what the sender did. A code this
// page does not know yet is shown as it is rather than hidden.
std::string spam_reason_for_sales(std::string_view code) {
  static constexpr std::pair<std::string_view, std::string_view> labels[] = {
      {"honeypot", "hidden field filled"}, {"too_fast", "sent too fast"},
      {"captcha", "captcha refused"},     {"links", "many links"},
      {"disposable_domain", "throwaway address"}, {"duplicate", "same text as another sender"},
      {"rspamd", "rspamd"}};
  for (const auto& [known, label] : labels) {
    if (known == code) return std::string(label);
  }
  return std::string(code);
}

// "70 — many links, throwaway address", or false for a lead that scored
// nothing, so that the cell stays empty rather than saying "0".
nlohmann::json spam_summary_for_sales(const nlohmann::json& lead) {
  auto score = lead.contains("spam_score") && lead["spam_score"].is_number_integer() ? lead["spam_score"].get<int>() : 0;
  if (score <= 0) return false;
  std::string reasons;
  if (auto found = lead.find("spam_reasons"); found != lead.end() && found->is_array()) {
    for (const auto& code : *found) {
      if (!code.is_string()) continue;
      reasons += (reasons.empty() ? "" : ", ") + spam_reason_for_sales(code.get<std::string>());
    }
  }
  return std::to_string(score) + (reasons.empty() ? "" : " — " + reasons);
}

// Where "Not spam" leads: the page that shows the released lead as new
// whatever list it was released from, the search for its address (which
// lists every lead but spam). An address too long for the search box
// leads to the new leads instead.
std::string released_lead_page(const nlohmann::json& lead) {
  constexpr std::size_t max_search_chars = 200;  // AdminQuery::text's limit for q (lead_filters)
  if (auto email = lead.find("email"); email != lead.end() && email->is_string()) {
    auto text = email->get<std::string>();
    if (!text.empty() && domain::count_characters(text) <= max_search_chars) return "/admin/?q=" + url_encode(text);
  }
  return "/admin/?status=new";
}

// One lead of the leads tab.
nlohmann::json lead_row(nlohmann::json lead) {
  bool is_spam = lead.value("status", "") == "spam";
  std::string message = lead.value("message", "");
  if (domain::count_characters(message) > 140) message = std::string(domain::first_characters(message, 140)) + "…";
  return nlohmann::json{{"id", lead["id"]},           {"name", lead["name"]},
                        {"email", lead["email"]},     {"mailto", mailto(lead["email"])},
                        {"company", lead["company"]},
                        {"form", lead["form"]},       {"status", lead["status"]},
                        {"created", short_time(lead["created_at"])}, {"message", message},
                        {"spam", spam_summary_for_sales(lead)},
                        {"is_spam", is_spam},
                        {"released_url", is_spam ? nlohmann::json(released_lead_page(lead)) : nlohmann::json(false)},
                        {"options", options(lead_statuses(), lead.value("status", ""))}};
}

const Tab leads_tab{
    "/admin/", "admin_leads",
    [](AdminQuery& query, const ListQuery& list, const config::Config&) {
      auto filter = lead_filters(query, list);
      auto given = described(filter);
      nlohmann::json form = {{"q", filter.q.value_or("")},
                             {"from", filter.from.value_or("")},
                             {"to", filter.to.value_or("")},
                             {"owner", filter.owner ? (filter.owner->empty() ? "none" : *filter.owner) : ""},
                             {"status_options", options(lead_statuses(), filter.status.value_or(""))},
                             {"csv_url", "/admin/leads.csv" + query_string(given)}};
      auto page = [filter](store::Listing& listing, store::Listing::After after, int limit) {
        return listing.leads(filter, after, limit);
      };
      return TabFilters{page, given, form, lead_row};
    }};

const Tab subscribers_tab{
    "/admin/subscribers", "admin_subscribers",
    [](AdminQuery& query, const ListQuery& list, const config::Config&) {
      auto filter = subscriber_filters(query, list);
      nlohmann::json form = {{"q", filter.q.value_or("")},
                             {"from", filter.from.value_or("")},
                             {"to", filter.to.value_or("")},
                             {"state_options", options(subscriber_states(), filter.state.value_or(""))}};
      auto page = [filter](store::Listing& listing, store::Listing::After after, int limit) {
        return listing.subscribers(filter, after, limit);
      };
      return TabFilters{page, described(filter), form, with_short_times};
    }};

// The bookings tab's URL with `described` filters, `name` set to `value`
// (or left out when it has none) and no cursor: its links to the other
// zone and the other period keep the rest of the view.
std::string bookings_url(nlohmann::json described, const char* name, std::optional<std::string_view> value) {
  if (value) {
    described[name] = *value;
  } else {
    described.erase(name);
  }
  return "/admin/bookings" + query_string(described);
}

// One booking of the bookings tab, its start on the wall clock of `zone`,
// its lead's page linked. Only a confirmed meeting not yet over gets the
// move and cancel buttons.
nlohmann::json booking_row(nlohmann::json booking, const date::time_zone& zone, bool past) {
  booking["when"] = domain::minute_in_zone(booking.value("starts_at", ""), zone);
  booking["lead_url"] = "/admin/leads/" + booking.value("lead_id", "");
  booking["mailto"] = mailto(booking["email"]);
  booking["confirmed"] = !past && booking.value("status", "") == "confirmed";
  return booking;
}

// Upcoming meetings (soonest first) or past ones (?when=past, latest
// first), in booking.timezone or, with ?tz=UTC, in UTC.
TabFilters bookings_filters(AdminQuery& query, const ListQuery& list, const config::Config& config) {
  constexpr std::string_view utc = "UTC";
  const std::string& business = config.booking.timezone;
  const std::array<std::string_view, 2> zones = {business, utc};
  auto when = query.choice("when", booking_periods());
  auto tz = query.choice("tz", zones);
  bool past = when == "past";
  auto shown = tz.value_or(business);
  // booking.timezone was checked at start-up, and UTC is in every tzdb.
  const auto* zone = domain::find_zone(shown);
  domain::BookingFilter filter{past, list.from, list.to};
  auto given = described({{"when", &when}, {"from", &list.from}, {"to", &list.to}, {"tz", &tz}});
  // The link to the other zone: UTC, or back to the business's (no tz).
  bool showing_utc = shown == utc;
  std::string other = showing_utc ? business : std::string(utc);
  auto other_tz = showing_utc ? std::nullopt : std::optional<std::string_view>(utc);
  nlohmann::json form = {{"zone", shown},
                         {"past", past},
                         {"upcoming_url", bookings_url(given, "when", std::nullopt)},
                         {"past_url", bookings_url(given, "when", "past")},
                         // Nothing to switch to when the business keeps UTC itself.
                         {"other_zone", business == utc ? nlohmann::json(false) : nlohmann::json(other)},
                         {"other_zone_url", bookings_url(given, "tz", other_tz)}};
  auto page = [filter](store::Listing& listing, store::Listing::After after, int limit) {
    return listing.bookings(filter, after, limit);
  };
  auto shape = [zone, past](nlohmann::json booking) { return booking_row(std::move(booking), *zone, past); };
  return TabFilters{page, given, form, shape};
}

const Tab bookings_tab{"/admin/bookings", "admin_bookings", bookings_filters};

// Where a form of the page returns to: its `back`, but only within the
// admin page.
std::string back_of(const domain::FormInput& input) {
  if (const auto* target = input.find("back"); target != nullptr && target->values.size() == 1 &&
                                               target->values.front().starts_with("/admin/") &&
                                               !domain::has_control_characters(target->values.front(), domain::Lines::single)) {
    return target->values.front();
  }
  return "/admin/";
}

async::Task<http::Response> change_status(Services& services, const http::Request& request) {
  auto [session, input] = co_await signed_in_post(services, request);
  if (!session.actor) co_return sign_in_page(services, 401, session.problem);
  auto id = lead_id(request);
  const auto* status = input.find("status");
  auto statuses = lead_statuses();
  if (status == nullptr || status->values.size() != 1 ||
      std::find(statuses.begin(), statuses.end(), status->values.front()) == statuses.end()) {
    throw domain::Error::validation({{"status", "not_allowed", "Choose one of the offered statuses."}});
  }
  // Back to where the change was made.
  auto back = back_of(input);
  store::LeadChange change;
  change.status = status->values.front();
  if (!co_await services.lead_admin.change(id, change, session.actor->name)) throw no_record("lead");
  co_return http::Response::see_other(back);
}

// A lead's own page (admin_lead_page.cpp), with its e-mail link and spam
// score as the list shows them.
async::Task<http::Response> lead_page(Services& services, const http::Request& request) {
  auto session = co_await signed_in(services, request);
  if (!session.actor) co_return sign_in_page(services, 401, session.problem);
  auto data = co_await lead_page_view(services, lead_id(request));
  data["mailto"] = mailto(data["email"]);
  data["spam"] = spam_summary_for_sales(data);
  data.update({{"actor", session.actor->name}, {"csrf", csrf_for(session.id)}});
  co_return page(services, 200, "admin_lead", data);
}

// A change made on the lead's page by the signed-in person (`read` takes
// it from the form), in the lead's history; then back to the lead's page.
async::Task<http::Response> change_on_lead_page(Services& services, const http::Request& request,
                                                store::LeadChange (*read)(const domain::FormInput&)) {
  auto [session, input] = co_await signed_in_post(services, request);
  if (!session.actor) co_return sign_in_page(services, 401, session.problem);
  auto id = lead_id(request);
  if (!co_await services.lead_admin.change(id, read(input), session.actor->name)) throw no_record("lead");
  co_return http::Response::see_other("/admin/leads/" + id);
}

// The note box.
async::Task<http::Response> add_note(Services& services, const http::Request& request) {
  return change_on_lead_page(services, request, [](const domain::FormInput& input) {
    store::LeadChange change;
    change.note = read_lead_note(input);
    return change;
  });
}

// The owner box ("Take it" fills in the signed-in person).
async::Task<http::Response> set_owner(Services& services, const http::Request& request) {
  return change_on_lead_page(services, request, [](const domain::FormInput& input) {
    store::LeadChange change;
    change.owner = read_lead_owner(input);
    return change;
  });
}

// The bookings tab's buttons: as the sales API's cancel and reschedule,
// then back to the tab.
async::Task<http::Response> page_cancel_booking(Services& services, const http::Request& request) {
  auto [session, input] = co_await signed_in_post(services, request);
  if (!session.actor) co_return sign_in_page(services, 401, session.problem);
  co_await cancel_booking_as(services, record_id(request, "booking"), *session.actor);
  co_return http::Response::see_other(back_of(input));
}

// The move form's datetime-local field is read in the zone the tab showed
// (its hidden `tz`).
async::Task<http::Response> page_reschedule_booking(Services& services, const http::Request& request) {
  auto [session, input] = co_await signed_in_post(services, request);
  if (!session.actor) co_return sign_in_page(services, 401, session.problem);
  auto start = read_slot_start_in_zone(input);
  co_await reschedule_booking_as(services, record_id(request, "booking"), start, *session.actor);
  co_return http::Response::see_other(back_of(input));
}

async::Task<http::Response> leads_csv(Services& services, const http::Request& request) {
  auto session = co_await signed_in(services, request);
  if (!session.actor) co_return sign_in_page(services, 401, session.problem);
  AdminQuery query(request);
  auto filter = lead_filters(query, query.list());
  query.check();
  if (request.method == http::Method::head) co_return download_head(store::ExportFormat::csv, "leads");
  auto stream = services.listing.export_leads(filter, store::ExportFormat::csv);
  co_return streamed_download(std::move(stream), store::ExportFormat::csv, "leads",
                              ExportAudit{services.audit, std::move(*session.actor), "leads", described(filter)});
}

// The dashboard (admin_dashboard.cpp) for the range its form asks for.
async::Task<http::Response> dashboard(Services& services, const http::Request& request) {
  auto session = co_await signed_in(services, request);
  if (!session.actor) co_return sign_in_page(services, 401, session.problem);
  auto data = co_await dashboard_page_data(services, request);
  data.update({{"actor", session.actor->name}, {"csrf", csrf_for(session.id)}});
  co_return page(services, 200, "admin_dashboard", data);
}

async::Task<http::Response> sign_in(Services& services, const http::Request& request) {
  if (!posted_from_this_site(services, request)) {
    throw domain::Error(domain::ErrorKind::forbidden, "Sign in from the sign-in page of this site.");
  }
  auto input = http::decode_form_body(request.header("content-type").value_or(""), request.body);
  const auto* field = input.find("token");
  std::string token = field != nullptr && field->values.size() == 1 ? std::string(domain::trim(field->values.front())) : "";
  if (!is_token(token)) co_return sign_in_page(services, 401, "That is not a leadgate token (lg_…).");
  auto session = new_session_id();
  if (!co_await services.tokens.start_session(token, session, session_lifetime)) {
    co_return sign_in_page(services, 401, "This token is unknown or revoked.");
  }
  auto response = http::Response::see_other("/admin/");
  auto max_age = static_cast<int>(std::chrono::seconds(session_lifetime).count());
  co_return std::move(response.with_header("Set-Cookie", session_cookie(services, session, max_age)));
}

async::Task<http::Response> sign_out(Services& services, const http::Request& request) {
  auto session = co_await signed_in(services, request);
  if (!session.actor) {
    // Already over on the server: the browser forgets its cookie too.
    auto page = sign_in_page(services, 401, session.problem);
    co_return std::move(page.with_header("Set-Cookie", session_cookie(services, "", 0)));
  }
  auto input = http::decode_form_body(request.header("content-type").value_or(""), request.body);
  require_csrf(input, session);
  co_await services.tokens.end_session(session.id);
  auto response = http::Response::see_other("/admin/");
  co_return std::move(response.with_header("Set-Cookie", session_cookie(services, "", 0)));
}

}  // namespace

// Redirects within the admin page are relative: it works under whatever
// host name the sales team reaches it by.
void add_admin_page_routes(http::Router& router, Services& services) {
  using Page = async::Task<http::Response> (*)(Services&, const http::Request&);
  // Every admin page answers its errors with a page, whatever was asked.
  auto add = [&router, &services](Method method, std::string path, Page handler) {
    router.add(method, std::move(path), [&services, handler](const http::Request& request) {
      return handler(services, request);
    }, http::ErrorStyle::html);
  };
  auto add_tab = [&router, &services](std::string path, const Tab& tab) {
    router.add(Method::get, std::move(path), [&services, &tab](const http::Request& request) {
      return tab_page(services, request, tab);
    }, http::ErrorStyle::html);
  };
  router.add(Method::get, "/admin", [](const http::Request&) -> async::Task<http::Response> {
    co_return http::Response::see_other("/admin/");
  });
  add_tab("/admin/", leads_tab);
  add(Method::post, "/admin/session", sign_in);
  add(Method::post, "/admin/signout", sign_out);
  add(Method::get, "/admin/leads/{id}", lead_page);
  add(Method::post, "/admin/leads/{id}/status", change_status);
  add(Method::post, "/admin/leads/{id}/note", add_note);
  add(Method::post, "/admin/leads/{id}/owner", set_owner);
  add(Method::get, "/admin/leads.csv", leads_csv);
  add_tab("/admin/subscribers", subscribers_tab);
  add_tab("/admin/bookings", bookings_tab);
  add(Method::post, "/admin/bookings/{id}/cancel", page_cancel_booking);
  add(Method::post, "/admin/bookings/{id}/reschedule", page_reschedule_booking);
  add(Method::get, "/admin/dashboard", dashboard);
}

}  // namespace leadgate::handlers
