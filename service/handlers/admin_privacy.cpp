#include "handlers/admin_privacy.hpp"

#include <nlohmann/json.hpp>

#include "domain/text.hpp"
#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/admin_records.hpp"
#include "http/problem.hpp"
#include "http/query.hpp"

namespace leadgate::handlers {

namespace {

// The address as the forms store it (an internationalised domain in its
// ASCII form); the SQL matches it without regard to case, however the
// visitor typed it.
std::string subject_email(const http::Request& request) {
  auto email = http::query_value(request.query(), "email");
  auto normalized = email ? domain::normalize_email(domain::trim(*email)) : std::nullopt;
  if (!normalized) throw domain::Error::validation({{"email", "invalid_email", "Must be an e-mail address."}});
  return *normalized;
}

}  // namespace

async::Task<http::Response> subject_records(Services& services, const http::Request& request) {
  co_await authenticate(services, request, store::Role::admin);
  auto response = http::Response::json(200, co_await services.privacy.records(subject_email(request)));
  co_return std::move(response.with_header("Cache-Control", "no-store"));
}

async::Task<http::Response> erase_subject(Services& services, const http::Request& request) {
  auto actor = co_await authenticate(services, request, store::Role::admin);
  auto erased = co_await services.privacy.erase(subject_email(request), actor.name);
  co_return http::Response::json(200, nlohmann::json{{"erased", store::erased_counts(erased)}}.dump());
}

async::Task<http::Response> list_audit(Services& services, const http::Request& request) {
  co_await authenticate(services, request, store::Role::admin);
  AdminQuery query(request);
  auto list = query.list(domain::CursorIds::number);  // audit entries are numbered
  query.check();
  co_return page_response(co_await services.listing.audit_entries(list.cursor, list.limit));
}

}  // namespace leadgate::handlers
