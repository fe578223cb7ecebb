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

nlohmann::json described(const domain::SubscriberFilter& filter) {
  return described({{"state", &filter.state}, {"from", &filter.from}, {"to", &filter.to}, {"q", &filter.q}});
}

domain::SubscriberFilter subscriber_filters(AdminQuery& query, const ListQuery& list) {
  return {query.choice("state", states), list.from, list.to, query.text("q", 200)};
}

std::span<const std::string_view> subscriber_states() { return states; }

const ListedRecords subscribers{"subscribers", [](AdminQuery& query, const ListQuery& list) {
  auto filter = subscriber_filters(query, list);
  return record_query(filter, described(filter), &store::Listing::subscribers, &store::Listing::export_subscribers);
}};

async::Task<http::Response> list_subscribers(Services& services, const http::Request& request) {
  return list_records(services, subscribers, request);
}

async::Task<http::Response> export_subscribers(Services& services, const http::Request& request) {
  return export_records(services, subscribers, request);
}

// {"subscriber": {…}, "consent_records": […]}
async::Task<http::Response> get_subscriber(Services& services, const http::Request& request) {
  co_await authenticate(services, request, store::Role::sales);
  auto subscriber = co_await services.listing.subscriber(record_id(request, "subscriber"));
  if (!subscriber) throw no_record("subscriber");
  co_return http::Response::json(200, *subscriber);
}

}  // namespace leadgate::handlers
