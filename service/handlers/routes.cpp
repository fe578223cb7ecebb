#include "handlers/routes.hpp"

#include <array>

#include "handlers/admin_bookings.hpp"
#include "handlers/admin_jobs.hpp"
#include "handlers/admin_leads.hpp"
#include "handlers/admin_page.hpp"
#include "handlers/admin_privacy.hpp"
#include "handlers/admin_subscribers.hpp"
#include "handlers/booking.hpp"
#include "handlers/estimate.hpp"
#include "handlers/newsletter.hpp"
#include "handlers/ops.hpp"

namespace leadgate::handlers {

using http::Method;

namespace {

// A member function of a handler object as a route's handler.
template <typename Handlers>
http::Handler bind(std::shared_ptr<Handlers> handlers,
                   void (Handlers::*member)(const http::Request&, http::Responder) const) {
  return [handlers, member](const http::Request& request, http::Responder respond) {
    ((*handlers).*member)(request, std::move(respond));
  };
}

}  // namespace

void add_routes(http::Router& router, Services& services) {
  router.add(Method::post, "/v1/forms/estimate", EstimateHandler(services));

  auto newsletter = std::make_shared<NewsletterHandlers>(services);
  router.add(Method::post, "/v1/forms/newsletter", bind(newsletter, &NewsletterHandlers::sign_up));
  router.add(Method::get, "/v1/newsletter/confirm", bind(newsletter, &NewsletterHandlers::confirm_page));
  router.add(Method::post, "/v1/newsletter/confirm", bind(newsletter, &NewsletterHandlers::confirm));
  router.add(Method::get, "/v1/newsletter/unsubscribe", bind(newsletter, &NewsletterHandlers::unsubscribe_page));
  router.add(Method::post, "/v1/newsletter/unsubscribe", bind(newsletter, &NewsletterHandlers::unsubscribe));

  auto booking = std::make_shared<BookingHandlers>(services);
  router.add(Method::get, "/v1/booking/slots", bind(booking, &BookingHandlers::slots));
  router.add(Method::post, "/v1/forms/consultation", bind(booking, &BookingHandlers::book));
  router.add(Method::get, "/v1/booking/cancel", bind(booking, &BookingHandlers::cancel_page));
  router.add(Method::post, "/v1/booking/cancel", bind(booking, &BookingHandlers::cancel));

  // Admin routes: each handler checks the bearer token and its role.
  using AdminHandler = void (*)(Services&, const http::Request&, const http::Responder&);
  auto admin = [&services](AdminHandler handler) {
    return [&services, handler](const http::Request& request, http::Responder respond) {
      handler(services, request, respond);
    };
  };
  router.add(Method::get, "/v1/admin/leads", admin(list_leads));
  router.add(Method::get, "/v1/admin/leads/export.csv", admin(export_leads));
  router.add(Method::get, "/v1/admin/leads/{id}", admin(get_lead));
  router.add(Method::patch, "/v1/admin/leads/{id}", admin(patch_lead));
  router.add(Method::get, "/v1/admin/bookings", admin(list_bookings));
  router.add(Method::get, "/v1/admin/subjects", admin(subject_records));
  router.add(Method::delete_, "/v1/admin/subjects", admin(erase_subject));
  router.add(Method::get, "/v1/admin/audit", admin(list_audit));
  router.add(Method::get, "/v1/admin/jobs", admin(list_jobs));
  router.add(Method::post, "/v1/admin/jobs/{id}/retry", admin(retry_job));
  router.add(Method::get, "/v1/admin/subscribers", admin(list_subscribers));
  router.add(Method::get, "/v1/admin/subscribers/export.csv", admin(export_subscribers));
  router.add(Method::get, "/v1/admin/subscribers/{id}", admin(get_subscriber));

  add_admin_page_routes(router, services);

  router.add(Method::get, "/healthz", healthz);
  router.add(Method::get, "/readyz", [&services](const http::Request&, http::Responder respond) {
    readyz(services.lifecycle, services.ops, services.expected_schema_version, std::move(respond));
  });
  router.add(Method::get, "/metrics", [&services](const http::Request&, http::Responder respond) {
    metrics(services.metrics, services.ops, std::move(respond));
  });
  router.add(Method::get, "/assets/style.css", [&services](const http::Request&, http::Responder respond) {
    auto response = http::Response::text(200, services.pages.stylesheet(), "text/css; charset=utf-8");
    respond(std::move(response.with_header("Cache-Control", "public, max-age=3600")));
  });
  // Pages leadgate serves itself, so the defaults work without a website.
  static constexpr std::pair<std::string_view, std::string_view> static_pages[] = {
      {"/thanks", "thanks"},
      {"/newsletter/confirmed", "newsletter_confirmed"},
      {"/newsletter/unsubscribed", "newsletter_unsubscribed"},
      {"/booking/cancelled", "booking_cancelled"},
  };
  for (auto [path, name] : static_pages) {
    router.add(Method::get, std::string(path), [&services, name](const http::Request&, http::Responder respond) {
      static_page(services, name, std::move(respond));
    });
  }
}

std::span<const std::string_view> required_pages() {
  static constexpr std::array<std::string_view, 13> names = {
      "error", "thanks", "link_invalid", "newsletter_confirm", "newsletter_unsubscribe",
      "newsletter_confirmed", "newsletter_unsubscribed", "booking_cancel", "booking_cancelled",
      "admin_signin", "admin_leads", "admin_subscribers", "admin_bookings"};
  return names;
}

}  // namespace leadgate::handlers
