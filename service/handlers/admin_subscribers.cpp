#include "handlers/admin_subscribers.hpp"

#include <array>

#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/admin_records.hpp"
#include "http/problem.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::array<std::string_view, 4> states = {"pending", "confirmed", "unsubscribed", "spam"};

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
    services.listing.one("get-subscriber", record_id(request, "subscriber"),
                         [respond](store::Outcome<std::optional<std::string>> outcome) {
                           if (auto* error = std::get_if<domain::Error>(&outcome)) {
                             return respond(http::problem_response(*error));
                           }
                           const auto& subscriber = std::get<std::optional<std::string>>(outcome);
                           respond(subscriber ? http::Response::json(200, *subscriber)
                                              : http::problem_response(no_record("subscriber")));
                         });
  });
}

}  // namespace leadgate::handlers
