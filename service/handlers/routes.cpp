#include "handlers/routes.hpp"

#include <array>

#include "handlers/estimate.hpp"
#include "handlers/ops.hpp"

namespace leadgate::handlers {

using http::Method;

void add_routes(http::Router& router, Services& services) {
  router.add(Method::post, "/v1/forms/estimate", EstimateHandler(services));

  router.add(Method::get, "/healthz", healthz);
  router.add(Method::get, "/readyz", [&services](const http::Request&, http::Responder respond) {
    readyz(services.lifecycle, services.ops, services.expected_schema_version, std::move(respond));
  });
  router.add(Method::get, "/metrics", [&services](const http::Request&, http::Responder respond) {
    metrics(services.metrics, services.ops, std::move(respond));
  });
  router.add(Method::get, "/thanks", [&services](const http::Request&, http::Responder respond) {
    thanks_page(services, std::move(respond));
  });
}

std::span<const std::string_view> required_pages() {
  static constexpr std::array<std::string_view, 2> names = {"error", "thanks"};
  return names;
}

}  // namespace leadgate::handlers
