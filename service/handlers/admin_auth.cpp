#include "handlers/admin_auth.hpp"

#include <algorithm>
#include <cctype>

#include "http/problem.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::string_view scheme = "bearer ";

std::optional<std::string> bearer_token(const http::Request& request) {
  auto header = request.header("authorization");
  if (!header || header->size() <= scheme.size()) return std::nullopt;
  std::string prefix(header->substr(0, scheme.size()));
  std::transform(prefix.begin(), prefix.end(), prefix.begin(), [](unsigned char c) { return std::tolower(c); });
  if (prefix != scheme) return std::nullopt;
  auto token = header->substr(scheme.size());
  // Our tokens are "lg_" and 48 hex digits; anything else is not worth a query.
  bool well_formed = token.size() == 51 && token.starts_with("lg_") &&
                     std::all_of(token.begin() + 3, token.end(), [](char c) {
                       return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                     });
  if (!well_formed) return std::nullopt;
  return std::string(token);
}

domain::Error unauthorized() {
  domain::Error error(domain::ErrorKind::unauthorized, "A valid API token is required: Authorization: Bearer lg_…");
  error.with_header("WWW-Authenticate", "Bearer realm=\"leadgate\"");
  return error;
}

}  // namespace

async::Task<store::Actor> authenticate(Services& services, const http::Request& request, store::Role needed) {
  auto token = bearer_token(request);
  if (!token) throw unauthorized();
  auto actor = co_await services.tokens.authenticate(std::move(*token));
  if (!actor) throw unauthorized();
  if (needed == store::Role::admin && actor->role != store::Role::admin) {
    throw domain::Error(domain::ErrorKind::forbidden, "This needs a token with the admin role.");
  }
  co_return std::move(*actor);
}

}  // namespace leadgate::handlers
