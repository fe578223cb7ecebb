#include "handlers/routes.hpp"

#include <algorithm>
#include <array>

#include "handlers/admin_bookings.hpp"
#include "handlers/admin_jobs.hpp"
#include "handlers/admin_leads.hpp"
#include "handlers/admin_page.hpp"
#include "handlers/admin_privacy.hpp"
#include "handlers/admin_stats.hpp"
#include "handlers/admin_subscribers.hpp"
#include "handlers/api_description.hpp"
#include "handlers/booking.hpp"
#include "handlers/booking_page.hpp"
#include "handlers/embed_script.hpp"
#include "handlers/estimate.hpp"
#include "handlers/newsletter.hpp"
#include "handlers/ops.hpp"

namespace leadgate::handlers {

using http::Method;

namespace {

// A member function of a handler object as a route's handler.
template <typename Handlers>
http::Handler bind(std::shared_ptr<Handlers> handlers,
                   async::Task<http::Response> (Handlers::*member)(const http::Request&) const) {
  return [handlers, member](const http::Request& request) { return ((*handlers).*member)(request); };
}

}  // namespace

void add_routes(http::Router& router, Services& services) {
  add_public_routes(router, services);
  add_ops_routes(router, services);
}

void add_ops_routes(http::Router& router, Services& services) {
  using http::ErrorStyle;
  // On the public port already when add_public_routes put it there.
  auto patterns = router.patterns();
  if (std::find(patterns.begin(), patterns.end(), "/healthz") == patterns.end()) {
    router.add(Method::get, "/healthz", healthz, ErrorStyle::json);
  }
  router.add(Method::get, "/readyz", [&services](const http::Request&) {
    return readyz(services.lifecycle, services.ops, services.expected_schema_version);
  }, ErrorStyle::json);
  router.add(Method::get, "/metrics", [&services](const http::Request&) {
    return metrics(services.metrics, services.ops);
  }, ErrorStyle::json);
}

void add_public_routes(http::Router& router, Services& services) {
  using http::ErrorStyle;
  auto estimate = std::make_shared<EstimateHandler>(services);
  router.add(Method::post, "/v1/forms/estimate", bind(estimate, &EstimateHandler::handle));

  // The pages behind e-mail links answer with pages, whatever a mail
  // scanner's Accept header says.
  auto newsletter = std::make_shared<NewsletterHandlers>(services);
  router.add(Method::post, "/v1/forms/newsletter", bind(newsletter, &NewsletterHandlers::sign_up));
  router.add(Method::get, "/v1/newsletter/confirm", bind(newsletter, &NewsletterHandlers::confirm_page),
             ErrorStyle::html);
  router.add(Method::post, "/v1/newsletter/confirm", bind(newsletter, &NewsletterHandlers::confirm), ErrorStyle::html);
  router.add(Method::get, "/v1/newsletter/unsubscribe", bind(newsletter, &NewsletterHandlers::unsubscribe_page),
             ErrorStyle::html);
  router.add(Method::post, "/v1/newsletter/unsubscribe", bind(newsletter, &NewsletterHandlers::unsubscribe),
             ErrorStyle::html);

  auto booking = std::make_shared<BookingHandlers>(services);
  router.add(Method::get, "/v1/booking/slots", bind(booking, &BookingHandlers::slots));
  router.add(Method::post, "/v1/forms/consultation", bind(booking, &BookingHandlers::book));
  router.add(Method::get, "/v1/booking/cancel", bind(booking, &BookingHandlers::cancel_page), ErrorStyle::html);
  router.add(Method::post, "/v1/booking/cancel", bind(booking, &BookingHandlers::cancel), ErrorStyle::html);
  router.add(Method::get, "/v1/booking/reschedule", bind(booking, &BookingHandlers::reschedule_page),
             ErrorStyle::html);
  // A plain form from the page, or a script posting JSON: the answer follows.
  router.add(Method::post, "/v1/booking/reschedule", bind(booking, &BookingHandlers::reschedule));

  auto book = std::make_shared<BookingPage>(services, booking);
  router.add(Method::get, "/book", bind(book, &BookingPage::show), ErrorStyle::html);
  router.add(Method::post, "/book", bind(book, &BookingPage::step), ErrorStyle::html);
  router.add(Method::get, "/book/confirmed", bind(book, &BookingPage::confirmed), ErrorStyle::html);
  router.add(Method::get, "/book/event.ics", bind(book, &BookingPage::event), ErrorStyle::html);

  // The sales API: each handler checks the bearer token and its role, and
  // speaks problem+json only.
  using AdminHandler = async::Task<http::Response> (*)(Services&, const http::Request&);
  auto admin = [&router, &services](Method method, std::string pattern, AdminHandler handler) {
    router.add(method, std::move(pattern),
               [&services, handler](const http::Request& request) { return handler(services, request); },
               ErrorStyle::json);
  };
  admin(Method::get, "/v1/admin/leads", list_leads);
  admin(Method::get, "/v1/admin/leads/export.csv", export_leads);
  admin(Method::get, "/v1/admin/leads/{id}", get_lead);
  admin(Method::patch, "/v1/admin/leads/{id}", patch_lead);
  admin(Method::get, "/v1/admin/bookings", list_bookings);
  admin(Method::patch, "/v1/admin/bookings/{id}", patch_booking);
  admin(Method::post, "/v1/admin/bookings/{id}/cancel", cancel_booking);
  admin(Method::post, "/v1/admin/bookings/{id}/reschedule", reschedule_booking);
  admin(Method::get, "/v1/admin/subjects", subject_records);
  admin(Method::delete_, "/v1/admin/subjects", erase_subject);
  admin(Method::get, "/v1/admin/audit", list_audit);
  admin(Method::get, "/v1/admin/jobs", list_jobs);
  admin(Method::post, "/v1/admin/jobs/{id}/retry", retry_job);
  admin(Method::get, "/v1/admin/subscribers", list_subscribers);
  admin(Method::get, "/v1/admin/subscribers/export.csv", export_subscribers);
  admin(Method::get, "/v1/admin/subscribers/{id}", get_subscriber);
  admin(Method::get, "/v1/admin/stats", get_stats);

  add_admin_page_routes(router, services);

  router.add(Method::get, "/healthz", healthz, ErrorStyle::json);
  router.add(Method::get, "/v1/openapi.json", api_description, ErrorStyle::json);
  router.add(Method::get, "/assets/style.css", [&services](const http::Request&) -> async::Task<http::Response> {
    auto response = http::Response::text(200, services.pages.stylesheet(), "text/css; charset=utf-8");
    co_return std::move(response.with_header("Cache-Control", "public, max-age=3600"));
  });
  add_embed_script_routes(router, services);
  // Pages leadgate serves itself, so the defaults work without a website.
  static constexpr std::pair<std::string_view, std::string_view> static_pages[] = {
      {"/thanks", "thanks"},
      {"/newsletter/confirmed", "newsletter_confirmed"},
      {"/newsletter/unsubscribed", "newsletter_unsubscribed"},
      {"/booking/cancelled", "booking_cancelled"},
      {"/booking/rescheduled", "booking_rescheduled"},
  };
  for (auto [path, name] : static_pages) {
    router.add(Method::get, std::string(path), [&services, name](const http::Request&) -> async::Task<http::Response> {
      co_return static_page(services, name);
    });
  }
}

std::span<const std::string_view> required_pages() {
  static constexpr std::array<std::string_view, 20> names = {
      "error", "thanks", "link_invalid", "newsletter_confirm", "newsletter_unsubscribe",
      "newsletter_confirmed", "newsletter_unsubscribed", "booking_cancel", "booking_cancelled",
      "booking_reschedule", "booking_rescheduled", "book", "book_details", "book_confirmed",
      "admin_signin", "admin_leads", "admin_lead", "admin_subscribers", "admin_bookings",
      "admin_dashboard"};
  return names;
}

}  // namespace leadgate::handlers
