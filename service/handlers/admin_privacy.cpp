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

void subject_records(Services& services, const http::Request& request, const http::Responder& respond) {
  with_actor(services, request, store::Role::admin, respond, [&services, respond, request](store::Actor) {
    services.privacy.records(subject_email(request), [respond](store::Outcome<std::string> outcome) {
      if (auto* error = std::get_if<domain::Error>(&outcome)) return respond(http::problem_response(*error));
      auto response = http::Response::json(200, std::get<std::string>(outcome));
      respond(std::move(response.with_header("Cache-Control", "no-store")));
    });
  });
}

void erase_subject(Services& services, const http::Request& request, const http::Responder& respond) {
  with_actor(services, request, store::Role::admin, respond, [&services, respond, request](store::Actor actor) {
    services.privacy.erase(subject_email(request), actor.name, [respond](store::Outcome<store::Erased> outcome) {
      if (auto* error = std::get_if<domain::Error>(&outcome)) return respond(http::problem_response(*error));
      const auto& erased = std::get<store::Erased>(outcome);
      nlohmann::json body = {{"erased", store::erased_counts(erased)}};
      respond(http::Response::json(200, body.dump()));
    });
  });
}

void list_audit(Services& services, const http::Request& request, const http::Responder& respond) {
  with_actor(services, request, store::Role::admin, respond, [&services, respond, request](store::Actor) {
    AdminQuery query(request);
    auto list = query.list();
    query.check();
    services.listing.page("list-audit", {}, list.cursor, list.limit,
                          [respond](store::Outcome<store::Page> outcome) { respond(page_response(outcome)); });
  });
}

}  // namespace leadgate::handlers
