#include "handlers/admin_subscribers.hpp"

#include <array>

#include "domain/ids.hpp"
#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/admin_records.hpp"
#include "http/problem.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::array<std::string_view, 4> states = {"pending", "confirmed", "unsubscribed", "spam"};

http::Response not_found() {
  return http::problem_response(domain::Error(domain::ErrorKind::not_found, "There is no subscriber with this id."));
}

}  // namespace

nlohmann::json SubscriberQuery::described() const {
  return handlers::described({{"state", &state}, {"from", &from}, {"to", &to}, {"q", &q}});
}

SubscriberQuery subscriber_filters(AdminQuery& query, const ListQuery& list) {
  return {query.choice("state", states), list.from, list.to, query.text("q", 200)};
}

std::span<const std::string_view> subscriber_states() { return states; }

const ListedRecords subscribers{"subscribers", "list-subscribers", "export-subscribers",
                                [](AdminQuery& query, const ListQuery& list) {
                                  auto filters = subscriber_filters(query, list);
                                  return RecordFilters{filters.filters(), filters.described()};
                                }};

void list_subscribers(Services& services, const http::Request& request, const http::Responder& respond) {
  list_records(services, subscribers, request, respond);
}

void export_subscribers(Services& services, const http::Request& request, const http::Responder& respond) {
  export_records(services, subscribers, request, respond);
}

// {"subscriber": {…}, "consent_records": […]}
void get_subscriber(Services& services, const http::Request& request, const http::Responder& respond) {
  with_actor(services, request, store::Role::sales, respond, [&services, respond, request](store::Actor) {
    auto id = request.path_param("id").value_or("");
    if (!domain::is_uuid(id)) return respond(not_found());  // never a 400: ids are opaque
    services.listing.one("get-subscriber", std::string(id),
                         [respond](store::Outcome<std::optional<std::string>> outcome) {
                           if (auto* error = std::get_if<domain::Error>(&outcome)) {
                             return respond(http::problem_response(*error));
                           }
                           const auto& subscriber = std::get<std::optional<std::string>>(outcome);
                           respond(subscriber ? http::Response::json(200, *subscriber) : not_found());
                         });
  });
}

}  // namespace leadgate::handlers
