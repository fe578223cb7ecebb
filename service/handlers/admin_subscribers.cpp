#include "handlers/admin_subscribers.hpp"

#include <array>

#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/export_response.hpp"
#include "http/problem.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::array<std::string_view, 3> states = {"pending", "confirmed", "unsubscribed"};

struct SubscriberQuery {
  store::SubscriberFilter filter;
  ListQuery list;
};

SubscriberQuery read_query(const http::Request& request) {
  AdminQuery query(request);
  SubscriberQuery result;
  result.list = query.list();
  result.filter = store::SubscriberFilter{query.choice("state", states), result.list.from, result.list.to};
  query.check();
  return result;
}

nlohmann::json filters_json(const store::SubscriberFilter& filter) {
  nlohmann::json json = nlohmann::json::object();
  if (filter.state) json["state"] = *filter.state;
  if (filter.from) json["from"] = *filter.from;
  if (filter.to) json["to"] = *filter.to;
  return json;
}

}  // namespace

std::string page_json(const store::Page& page) {
  std::string body = R"({"items":[)";
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    if (i > 0) body += ',';
    body += page.items[i];
  }
  body += R"(],"next_cursor":)";
  body += page.next ? "\"" + domain::encode_cursor(*page.next) + "\"" : "null";
  body += '}';
  return body;
}

void list_subscribers(Services& services, const http::Request& request, const http::Responder& respond) {
  auto query = read_query(request);
  with_actor(services, request, store::Role::sales, respond, [&services, respond, query](store::Actor) {
    services.subscriber_listing.page(query.filter, query.list.cursor, query.list.limit,
                                     [respond](store::Outcome<store::Page> outcome) {
                                       if (auto* error = std::get_if<domain::Error>(&outcome)) {
                                         return respond(http::problem_response(*error));
                                       }
                                       respond(http::Response::json(200, page_json(std::get<store::Page>(outcome))));
                                     });
  });
}

void export_subscribers(Services& services, const http::Request& request, const http::Responder& respond) {
  auto query = read_query(request);
  with_actor(services, request, store::Role::sales, respond, [&services, respond, query](store::Actor actor) {
    auto stream = services.subscriber_listing.export_csv(query.filter);
    respond(streamed_download(std::move(stream), "text/csv; charset=utf-8", "subscribers.csv",
                              ExportAudit{services.audit, std::move(actor), "subscribers", filters_json(query.filter)}));
  });
}

}  // namespace leadgate::handlers
