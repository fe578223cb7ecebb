#include "http/policies.hpp"

#include <algorithm>

#include "http/origin.hpp"

namespace leadgate::http {

ResponsePolicies::ResponsePolicies(std::vector<std::string> allowed_origins, std::string public_url)
    : allowed_origins_(std::move(allowed_origins)),
      content_security_policy_("default-src 'self'; script-src 'none'; img-src 'self' data:; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'self' " +
                               origin_of(public_url).value_or("")) {}

// The endpoints a website's own scripts call from the browser.
bool ResponsePolicies::is_public(const Request& request) const {
  auto path = request.path();
  return path.starts_with("/v1/forms/") || path == "/v1/booking/slots";
}

bool ResponsePolicies::allowed(std::string_view origin) const {
  return std::find(allowed_origins_.begin(), allowed_origins_.end(), origin) != allowed_origins_.end();
}

bool ResponsePolicies::is_preflight(const Request& request) const {
  return request.method == Method::options && is_public(request);
}

Response ResponsePolicies::preflight(const Request& request) const {
  Response response;
  response.status = 204;
  response.with_header("Vary", "Origin");
  auto origin = request.header("origin");
  if (origin && allowed(*origin)) {
    response.with_header("Access-Control-Allow-Origin", std::string(*origin));
    response.with_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    response.with_header("Access-Control-Allow-Headers", "Content-Type, Accept, Idempotency-Key");
    response.with_header("Access-Control-Max-Age", "600");
  }
  return response;
}

ResponsePolicies::Context ResponsePolicies::context(const Request& request) const {
  Context context;
  context.public_endpoint = is_public(request);
  if (auto origin = request.header("origin"); context.public_endpoint && origin) context.origin = std::string(*origin);
  return context;
}

void ResponsePolicies::apply(const Context& context, Response& response) const {
  if (context.public_endpoint) {
    response.with_header("Vary", "Origin");
    if (context.origin && allowed(*context.origin)) {
      response.with_header("Access-Control-Allow-Origin", *context.origin);
      response.with_header("Access-Control-Expose-Headers", "Retry-After, Idempotent-Replayed, Location");
    }
  }
  auto type = response.header("content-type");
  bool html = type && type->starts_with("text/html");
  if (html && !response.header("content-security-policy")) {
    response.with_header("Content-Security-Policy", content_security_policy_);
  }
  if (html || (type && type->find("json") != std::string_view::npos)) {
    if (!response.header("x-content-type-options")) response.with_header("X-Content-Type-Options", "nosniff");
  }
  if (html && !response.header("referrer-policy")) response.with_header("Referrer-Policy", "no-referrer");
}

}  // namespace leadgate::http
