// Form and admin handlers with in-memory stores: what each answers and what
// it hands the store, without PostgreSQL or a socket. The integration tests
// check the same paths against the real database.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "async/task.hpp"
#include "handlers/admin_leads.hpp"
#include "handlers/booking.hpp"
#include "handlers/estimate.hpp"
#include "handlers/newsletter.hpp"
#include "handlers/routes.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace {

using namespace leadgate;
using async::Task;

domain::Error unused() { return domain::Error(domain::ErrorKind::internal, "not used by this test"); }

struct FakeLeads : store::LeadStore {
  std::vector<store::NewEstimate> saved;
  Task<store::Answer> save_estimate(store::NewEstimate estimate, std::optional<store::IdempotencyClaim>,
                                    store::Answer fresh) override {
    saved.push_back(std::move(estimate));
    co_return fresh;
  }
};

struct FakeBookings : store::BookingStore {
  std::optional<domain::Error> refuse;  // what book() throws, if set
  int booked = 0;
  std::vector<std::string> stale;          // hosts whose calendars are not fresh
  std::vector<std::string> asked_about;    // the hosts of the last call
  Task<domain::Availability> availability(date::sys_seconds, date::sys_seconds,
                                          std::shared_ptr<const std::vector<domain::BookingHost>> hosts,
                                          int, std::optional<std::string>) override {
    domain::Availability availability;
    asked_about.clear();
    for (const auto& host : *hosts) {
      asked_about.push_back(host.id);
      availability[host.id].calendars_fresh = std::find(stale.begin(), stale.end(), host.id) == stale.end();
    }
    co_return availability;
  }
  Task<store::Answer> book(store::NewBooking booking, std::optional<store::IdempotencyClaim>,
                           store::Answer answer) override {
    if (refuse) throw *refuse;
    ++booked;
    asked_about.clear();
    for (const auto& host : *booking.hosts) asked_about.push_back(host.id);
    co_return answer;
  }
  Task<std::optional<store::BookingInfo>> find(store::BookingKey) override { throw unused(); }
  Task<store::CancelResult> cancel(store::BookingKey, store::EmailsFor) override { throw unused(); }
  // What reschedule() was asked, and what it answers.
  std::optional<store::Reschedule> moved_with;
  store::RescheduleResult reschedule_result = store::RescheduleResult::moved;
  Task<store::Rescheduled> reschedule(store::Reschedule move) override {
    store::Rescheduled moved{reschedule_result, {}};
    moved.booking.id = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    moved.booking.start = move.slot_start;
    moved.booking.end = move.slot_start + std::chrono::minutes(30);
    moved_with = std::move(move);
    co_return moved;
  }
  std::optional<std::string> outcome;
  Task<store::OutcomeResult> record_outcome(std::string, std::string value, store::EmailsFor) override {
    outcome = value;
    co_return store::OutcomeResult::recorded;
  }
  Task<std::optional<std::string>> detail(std::string id) override {
    co_return nlohmann::json{{"id", id}, {"outcome", outcome ? nlohmann::json(*outcome) : nlohmann::json()}}.dump();
  }
};

struct FakeSubscribers : store::SubscriberStore {
  std::vector<store::NewSignup> signups;
  Task<store::Answer> sign_up(store::NewSignup signup, std::optional<store::IdempotencyClaim>,
                              store::Answer answer) override {
    signups.push_back(std::move(signup));
    co_return answer;
  }
  Task<store::TokenInfo> inspect_token(std::string, std::string) override { throw unused(); }
  Task<store::ConfirmResult> confirm(std::string, std::string, std::string) override { throw unused(); }
  Task<bool> unsubscribe(std::string, std::string) override { throw unused(); }
};

struct FakeLeadAdmin : store::LeadAdmin {
  std::optional<store::LeadChange> changed;
  Task<std::optional<store::LeadDetail>> get(std::string) override { co_return std::nullopt; }
  Task<std::optional<store::LeadDetail>> change(std::string, store::LeadChange change, std::string) override {
    changed = change;
    co_return store::LeadDetail{R"({"status":"won"})", "[]", R"({"leads":[],"bookings":[],"subscription":null})"};
  }
  Task<std::string> timeline(std::string, std::string) override { co_return "[]"; }
};

struct FakeTokens : store::TokenStore {
  Task<std::optional<store::Actor>> authenticate(std::string token) override {
    if (token == "lg_" + std::string(48, 'a')) co_return store::Actor{"ana", store::Role::sales};
    co_return std::nullopt;
  }
  Task<std::optional<store::Actor>> start_session(std::string, std::string, std::chrono::seconds) override {
    throw unused();
  }
  Task<std::optional<store::Actor>> session(std::string) override { throw unused(); }
  Task<bool> end_session(std::string) override { throw unused(); }
};

// Records the lead filter it is asked for and answers one page.
struct FakeListing : store::Listing {
  std::optional<domain::LeadFilter> asked;
  std::optional<domain::PageCursor> after;
  int limit = 0;
  Task<store::Page> leads(domain::LeadFilter filter, After page_after, int page_limit) override {
    asked = filter;
    after = page_after;
    limit = page_limit;
    co_return store::Page{{R"({"id":"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"})"}, std::nullopt};
  }
  Task<store::Page> subscribers(domain::SubscriberFilter, After, int) override { throw unused(); }
  Task<store::Page> bookings(domain::BookingFilter, After, int) override { throw unused(); }
  Task<store::Page> audit_entries(After, int) override { throw unused(); }
  Task<std::optional<std::string>> subscriber(std::string) override { throw unused(); }
  std::shared_ptr<store::RowStream> export_leads(domain::LeadFilter, store::ExportFormat) override { throw unused(); }
  std::shared_ptr<store::RowStream> export_subscribers(domain::SubscriberFilter, store::ExportFormat) override {
    throw unused();
  }
};

struct Unused : store::JobAdmin, store::Privacy, store::AuditLog, store::OpsStore, store::StatsStore {
  Task<std::vector<store::JobRow>> list(std::optional<std::string>, int) override { throw unused(); }
  Task<bool> retry(std::int64_t) override { throw unused(); }
  Task<std::string> records(std::string) override { throw unused(); }
  Task<store::Erased> erase(std::string, std::string) override { throw unused(); }
  void record(std::string, std::string, std::string) override {}
  Task<int> schema_version() override { throw unused(); }
  Task<store::QueueStats> queue_stats() override { throw unused(); }
  Task<store::Stats> figures(store::StatsRange) override { throw unused(); }
};

config::Config test_config() {
  const char* const no_environment[] = {nullptr};
  auto config = config::load("", false, no_environment);
  config.paths.templates = std::string(LEADGATE_SOURCE_DIR) + "/templates";
  return config;
}

// The service as `serve` wires it, with the stores above.
struct Service {
  config::Config config;
  FakeLeads leads;
  FakeBookings bookings;
  FakeSubscribers subscribers;
  FakeLeadAdmin lead_admin;
  FakeTokens tokens;
  FakeListing listing;
  Unused unused_stores;
  std::unique_ptr<pages::Pages> pages = pages::Pages::load(config.paths.templates + "/pages", handlers::required_pages());
  handlers::ErrorPages errors{*pages};
  metrics::Metrics metrics{metrics::Role::serve, handlers::lead_forms()};
  http::Lifecycle lifecycle;
  http::RateLimiter rate_limiter{5, 10};
  domain::DisposableDomains disposable_domains = domain::DisposableDomains::load("");
  handlers::Services services{config,        leads,         lead_admin,    unused_stores, subscribers, bookings,
                              listing,       tokens,        unused_stores, unused_stores, unused_stores, *pages,
                              errors,        metrics,       lifecycle,     rate_limiter,  nullptr,     nullptr,
                              disposable_domains, 1, unused_stores};
  http::Router router{[this](const http::Request& request, const domain::Error& error, http::ErrorStyle style) {
    return errors.render(request, error, style);
  }};

  explicit Service(config::Config with = test_config()) : config(std::move(with)) {
    handlers::add_routes(router, services);
  }

  http::Response send(http::Method method, std::string target, std::string body,
                      std::string content_type = "application/json", std::vector<http::Header> headers = {}) {
    http::Request request;
    request.method = method;
    request.target = std::move(target);
    request.body = std::move(body);
    request.client_address = "192.0.2.7";
    request.headers = std::move(headers);
    request.headers.push_back({"content-type", std::move(content_type)});
    std::optional<http::Response> response;
    async::start(router.dispatch(request), [](std::function<void()> next) { next(); },
                 [&response](std::optional<http::Response> answer, std::exception_ptr) { response = std::move(answer); });
    EXPECT_TRUE(response.has_value()) << "the handler waited for something that never came";
    return response.value_or(http::Response::text(599, ""));
  }
};

const std::string estimate_body =
    R"({"name":"Ana Lima","email":"ana@example.com","message":"We need a booking app for our clinic."})";

TEST(estimate_handler, a_valid_estimate_is_stored_and_answered_201) {
  Service service;
  auto response = service.send(http::Method::post, "/v1/forms/estimate", estimate_body);
  EXPECT_EQ(response.status, 201);
  ASSERT_EQ(service.leads.saved.size(), 1u);
  auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["id"], service.leads.saved[0].id);
  EXPECT_EQ(body["status"], "received");
  EXPECT_EQ(service.leads.saved[0].submission.email, "ana@example.com");
  EXPECT_EQ(service.leads.saved[0].spam.score(), 0);
}

TEST(estimate_handler, a_missing_message_is_422_and_stores_nothing) {
  Service service;
  auto response = service.send(http::Method::post, "/v1/forms/estimate", R"({"name":"Ana","email":"ana@example.com"})");
  EXPECT_EQ(response.status, 422);
  EXPECT_NE(response.body.find("\"field\":\"message\""), std::string::npos) << response.body;
  EXPECT_TRUE(service.leads.saved.empty());
}

TEST(estimate_handler, a_plain_form_post_is_sent_to_the_success_page) {
  Service service;
  auto response = service.send(http::Method::post, "/v1/forms/estimate",
                               "name=Ana+Lima&email=ana%40example.com&message=We+need+a+booking+app+soon.",
                               "application/x-www-form-urlencoded");
  EXPECT_EQ(response.status, 303);
  EXPECT_EQ(response.header("Location"), service.config.http.public_url + "/thanks");
  EXPECT_EQ(service.leads.saved.size(), 1u);
}

TEST(estimate_handler, a_filled_honeypot_gets_the_same_answer_and_is_stored_as_spam) {
  Service service;
  auto body = nlohmann::json::parse(estimate_body);
  body["_gotcha"] = "http://spam.example";
  auto response = service.send(http::Method::post, "/v1/forms/estimate", body.dump());
  EXPECT_EQ(response.status, 201);
  ASSERT_EQ(service.leads.saved.size(), 1u);
  EXPECT_TRUE(service.leads.saved[0].spam.has(domain::SpamReason::honeypot));
  EXPECT_TRUE(service.leads.saved[0].spam.is_spam(service.config.forms.spam_threshold));
}

TEST(newsletter_handler, a_valid_address_is_202_pending_and_handed_to_the_store) {
  Service service;
  auto response = service.send(http::Method::post, "/v1/forms/newsletter", R"({"email":"ben@example.com"})");
  EXPECT_EQ(response.status, 202);
  EXPECT_EQ(nlohmann::json::parse(response.body)["status"], "pending_confirmation");
  ASSERT_EQ(service.subscribers.signups.size(), 1u);
  EXPECT_EQ(service.subscribers.signups[0].confirm_token.size(), 48u);
}

TEST(newsletter_handler, an_invalid_address_is_422_and_signs_up_nobody) {
  Service service;
  auto response = service.send(http::Method::post, "/v1/forms/newsletter", R"({"email":"not an address"})");
  EXPECT_EQ(response.status, 422);
  EXPECT_TRUE(service.subscribers.signups.empty());
}

// A slot the store accepts must be one the rules offer: the next weekday at
// 10:00 in the business zone, a week ahead (past the minimum notice).
std::string offered_slot(const config::Config& config) {
  auto rules = handlers::booking_rules(config, config.booking.hours);
  auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  auto today = date::year_month_day(date::floor<date::days>(now));
  auto slots = domain::free_slots(rules, date::year_month_day(date::sys_days(today) + date::days(7)),
                                  date::year_month_day(date::sys_days(today) + date::days(14)), rules.zone, now, {});
  return slots.empty() ? "" : domain::rfc3339_utc(slots.front().start);
}

TEST(booking_handler, a_free_slot_is_booked_201) {
  Service service;
  nlohmann::json body = {{"name", "Ana Lima"}, {"email", "ana@example.com"}, {"slot_start", offered_slot(service.config)},
                         {"timezone", "Europe/Berlin"}};
  auto response = service.send(http::Method::post, "/v1/forms/consultation", body.dump());
  EXPECT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(service.bookings.booked, 1);
  EXPECT_EQ(nlohmann::json::parse(response.body)["status"], "booked");
}

TEST(booking_handler, a_slot_the_database_refuses_is_409_and_a_plain_form_comes_back_with_its_entries) {
  Service service;
  service.bookings.refuse = domain::Error(domain::ErrorKind::conflict, "This time was just taken.");
  nlohmann::json body = {{"name", "Ana Lima"}, {"email", "ana@example.com"}, {"slot_start", offered_slot(service.config)},
                         {"timezone", "Europe/Berlin"}};
  auto json = service.send(http::Method::post, "/v1/forms/consultation", body.dump());
  EXPECT_EQ(json.status, 409);
  EXPECT_EQ(json.header("Content-Type"), "application/problem+json");
  auto form = service.send(http::Method::post, "/v1/forms/consultation",
                           "name=Ana+Lima&email=ana%40example.com&timezone=Europe%2FBerlin&slot_start=" +
                               offered_slot(service.config),
                           "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 409);
  EXPECT_NE(form.body.find("Ana Lima"), std::string::npos) << "the visitor's entries are kept";
  EXPECT_EQ(service.bookings.booked, 0);
}

TEST(admin_leads_handler, no_token_is_401_and_changes_nothing) {
  Service service;
  auto response = service.send(http::Method::patch, "/v1/admin/leads/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                               R"({"status":"won"})");
  EXPECT_EQ(response.status, 401);
  EXPECT_TRUE(response.header("WWW-Authenticate").has_value());
  EXPECT_FALSE(service.lead_admin.changed.has_value());
}

TEST(admin_leads_handler, a_sales_token_changes_the_status) {
  Service service;
  auto response = service.send(http::Method::patch, "/v1/admin/leads/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                               R"({"status":"won"})", "application/json",
                               {{"authorization", "Bearer lg_" + std::string(48, 'a')}});
  EXPECT_EQ(response.status, 200) << response.body;
  ASSERT_TRUE(service.lead_admin.changed.has_value());
  EXPECT_EQ(service.lead_admin.changed->status, "won");
}

TEST(admin_leads_handler, an_unknown_status_is_422_even_as_a_form_post) {
  Service service;
  auto response = service.send(http::Method::patch, "/v1/admin/leads/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
                               "status=maybe", "application/x-www-form-urlencoded",
                               {{"authorization", "Bearer lg_" + std::string(48, 'a')}});
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(response.header("Content-Type"), "application/problem+json") << "the sales API speaks JSON only";
}

TEST(admin_leads_handler, list_filters_reach_the_store_as_a_lead_filter_with_q_as_typed) {
  Service service;
  auto response = service.send(http::Method::get, "/v1/admin/leads?status=won&form=estimate&from=2026-12-01&q=50%25_off&limit=10",
                               "", "application/json", {{"authorization", "Bearer lg_" + std::string(48, 'a')}});
  EXPECT_EQ(response.status, 200) << response.body;
  ASSERT_TRUE(service.listing.asked.has_value());
  EXPECT_EQ(service.listing.asked->status, "won");
  EXPECT_EQ(service.listing.asked->form, "estimate");
  EXPECT_EQ(service.listing.asked->from, "2026-12-01");
  EXPECT_FALSE(service.listing.asked->to.has_value());
  EXPECT_EQ(service.listing.asked->q, "50%_off") << "the store escapes LIKE's wildcards, not the handler";
  EXPECT_EQ(service.listing.limit, 10);
  EXPECT_EQ(nlohmann::json::parse(response.body)["items"].size(), 1u);
}

TEST(admin_leads_handler, an_unknown_status_filter_is_422_and_asks_the_store_nothing) {
  Service service;
  auto response = service.send(http::Method::get, "/v1/admin/leads?status=maybe", "", "application/json",
                               {{"authorization", "Bearer lg_" + std::string(48, 'a')}});
  EXPECT_EQ(response.status, 422);
  EXPECT_FALSE(service.listing.asked.has_value());
}

}  // namespace

config::Config two_hosts() {
  auto config = test_config();
  config.booking.hosts = {{"ana", "Ana Lima", "ana@example.com", {}, "", std::nullopt},
                          {"ben", "Ben Okafor", "ben@example.com", {}, "", std::nullopt}};
  return config;
}

std::string slots_query() {
  auto today = date::year_month_day(date::floor<date::days>(std::chrono::system_clock::now()));
  auto from = date::year_month_day(date::sys_days(today) + date::days(7));
  auto to = date::year_month_day(date::sys_days(today) + date::days(14));
  return "/v1/booking/slots?tz=Europe/Berlin&from=" + date::format("%F", from) + "&to=" + date::format("%F", to);
}

std::size_t slot_count(const http::Response& response) {
  return nlohmann::json::parse(response.body)["slots"].size();
}

TEST(booking_handler, slots_for_an_unknown_host_are_422) {
  Service service(two_hosts());
  auto response = service.send(http::Method::get, slots_query() + "&host=carla", "");
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(nlohmann::json::parse(response.body)["errors"][0]["field"], "host");
}

TEST(booking_handler, slots_with_a_host_ask_about_that_host_only_and_without_about_every_host) {
  Service service(two_hosts());
  EXPECT_EQ(service.send(http::Method::get, slots_query() + "&host=ben", "").status, 200);
  EXPECT_EQ(service.bookings.asked_about, std::vector<std::string>{"ben"});
  EXPECT_EQ(service.send(http::Method::get, slots_query(), "").status, 200);
  EXPECT_EQ(service.bookings.asked_about, (std::vector<std::string>{"ana", "ben"}));
}

TEST(booking_handler, a_host_whose_calendars_are_stale_offers_nothing) {
  Service service(two_hosts());
  auto all_fresh = slot_count(service.send(http::Method::get, slots_query(), ""));
  ASSERT_GT(all_fresh, 0u);
  service.bookings.stale = {"ana"};
  EXPECT_EQ(slot_count(service.send(http::Method::get, slots_query(), "")), all_fresh) << "Ben still offers them";
  EXPECT_EQ(slot_count(service.send(http::Method::get, slots_query() + "&host=ana", "")), 0u);
  service.bookings.stale = {"ana", "ben"};
  EXPECT_EQ(slot_count(service.send(http::Method::get, slots_query(), "")), 0u);
}

TEST(booking_handler, a_booking_names_a_host_or_leaves_the_choice_to_the_store) {
  Service service(two_hosts());
  nlohmann::json body = {{"name", "Ana Lima"}, {"email", "visitor@example.com"},
                         {"slot_start", offered_slot(service.config)}, {"host", "carla"}};
  auto unknown = service.send(http::Method::post, "/v1/forms/consultation", body.dump());
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(service.bookings.booked, 0);
  body["host"] = "ben";
  EXPECT_EQ(service.send(http::Method::post, "/v1/forms/consultation", body.dump()).status, 201);
  EXPECT_EQ(service.bookings.asked_about, std::vector<std::string>{"ben"});
  body.erase("host");
  EXPECT_EQ(service.send(http::Method::post, "/v1/forms/consultation", body.dump()).status, 201);
  EXPECT_EQ(service.bookings.asked_about, (std::vector<std::string>{"ana", "ben"}));
}

// --- reschedule ----------------------------------------------------------------

const std::string visitor_token(48, 'c');
const std::string reschedule_target = "/v1/booking/reschedule?token=" + visitor_token;
const std::vector<http::Header> sales_token = {{"authorization", "Bearer lg_" + std::string(48, 'a')}};

TEST(reschedule_handler, a_json_move_answers_200_with_the_booking_and_a_form_303_to_the_page) {
  Service service(two_hosts());
  auto json = service.send(http::Method::post, reschedule_target, R"({"slot_start":"2026-12-15T10:00:00Z"})");
  EXPECT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(nlohmann::json::parse(json.body),
            (nlohmann::json{{"id", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"}, {"status", "booked"},
                            {"start", "2026-12-15T10:00:00Z"}, {"end", "2026-12-15T10:30:00Z"}}));
  ASSERT_TRUE(service.bookings.moved_with.has_value());
  const auto& move = *service.bookings.moved_with;
  EXPECT_EQ(move.booking.kind, store::BookingKey::Kind::token);
  EXPECT_EQ(move.booking.value, visitor_token);
  EXPECT_EQ(move.hosts->size(), 2u) << "the store keeps a named host; it gets them all";
  EXPECT_FALSE(move.any_host);
  EXPECT_FALSE(move.new_token.has_value()) << "the visitor keeps their token";

  auto form = service.send(http::Method::post, reschedule_target, "slot_start=2026-12-15T10%3A00%3A00Z",
                           "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 303);
  EXPECT_TRUE(form.header("Location").value_or("").ends_with("/booking/rescheduled"));
}

TEST(reschedule_handler, a_missing_or_unreadable_slot_start_is_422_and_asks_the_store_nothing) {
  Service service;
  for (const char* body : {R"({})", R"({"slot_start":"tomorrow"})", R"({"slot_start":["2026-12-15T10:00:00Z"]})"}) {
    auto response = service.send(http::Method::post, reschedule_target, body);
    EXPECT_EQ(response.status, 422) << body;
    EXPECT_EQ(nlohmann::json::parse(response.body)["errors"][0]["field"], "slot_start") << body;
  }
  EXPECT_FALSE(service.bookings.moved_with.has_value());
}

TEST(reschedule_handler, a_meeting_that_is_over_is_410_as_problem_json_or_as_a_page) {
  Service service;
  service.bookings.reschedule_result = store::RescheduleResult::cancelled;
  auto json = service.send(http::Method::post, reschedule_target, R"({"slot_start":"2026-12-15T10:00:00Z"})");
  EXPECT_EQ(json.status, 410);
  EXPECT_EQ(json.header("Content-Type").value_or(""), "application/problem+json");
  auto form = service.send(http::Method::post, reschedule_target, "slot_start=2026-12-15T10%3A00%3A00Z",
                           "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 410);
  EXPECT_TRUE(form.header("Content-Type").value_or("").starts_with("text/html"));
  service.bookings.reschedule_result = store::RescheduleResult::unknown;
  EXPECT_EQ(service.send(http::Method::post, reschedule_target, R"({"slot_start":"2026-12-15T10:00:00Z"})").status, 404);
}

TEST(admin_bookings_handler, sales_move_to_any_host_with_a_new_token) {
  Service service(two_hosts());
  auto response = service.send(http::Method::post,
                               "/v1/admin/bookings/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/reschedule",
                               R"({"slot_start":"2026-12-15T10:00:00Z"})", "application/json", sales_token);
  EXPECT_EQ(response.status, 200) << response.body;
  ASSERT_TRUE(service.bookings.moved_with.has_value());
  const auto& move = *service.bookings.moved_with;
  EXPECT_EQ(move.booking.kind, store::BookingKey::Kind::id);
  EXPECT_TRUE(move.any_host);
  ASSERT_TRUE(move.new_token.has_value());
  EXPECT_EQ(move.new_token->size(), 48u);
}

TEST(admin_bookings_handler, an_outcome_is_attended_or_no_show_and_needs_a_token) {
  Service service;
  const std::string target = "/v1/admin/bookings/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
  EXPECT_EQ(service.send(http::Method::patch, target, R"({"outcome":"no_show"})").status, 401);
  EXPECT_EQ(service.send(http::Method::patch, target, R"({"outcome":"late"})", "application/json", sales_token).status,
            422);
  EXPECT_EQ(
      service.send(http::Method::patch, target, R"({"outcome":"no_show","note":"x"})", "application/json", sales_token)
          .status,
      422);
  EXPECT_FALSE(service.bookings.outcome.has_value());
  auto recorded = service.send(http::Method::patch, target, R"({"outcome":"no_show"})", "application/json", sales_token);
  EXPECT_EQ(recorded.status, 200) << recorded.body;
  EXPECT_EQ(nlohmann::json::parse(recorded.body)["outcome"], "no_show");
}
