#include "handlers/admin_subscribers.hpp"

#include <array>

#include "domain/ids.hpp"
#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/export_response.hpp"
#include "http/problem.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::array<std::string_view, 4> states = {"pending", "confirmed", "unsubscribed", "spam"};

struct SubscriberListQuery {
  ListQuery list;
  SubscriberQuery filters;
  store::ExportFormat format = store::ExportFormat::csv;
};

SubscriberListQuery read_query(const http::Request& request) {
  AdminQuery query(request);
  SubscriberListQuery result;
  result.list = query.list();
  result.filters = subscriber_filters(query, result.list);
  result.format = query.export_format();
  query.check();
  return result;
}

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

http::Response page_response(const store::Outcome<store::Page>& outcome) {
  if (auto* error = std::get_if<domain::Error>(&outcome)) return http::problem_response(*error);
  return http::Response::json(200, page_json(std::get<store::Page>(outcome)));
}

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
  with_actor(services, request, store::Role::sales, respond, [&services, respond, request](store::Actor) {
    auto query = read_query(request);
    services.listing.page("list-subscribers", query.filters.filters(), query.list.cursor, query.list.limit,
                          [respond](store::Outcome<store::Page> outcome) { respond(page_response(outcome)); });
  });
}

void export_subscribers(Services& services, const http::Request& request, const http::Responder& respond) {
  with_actor(services, request, store::Role::sales, respond, [&services, respond, request](store::Actor actor) {
    auto query = read_query(request);
    auto stream = services.listing.export_rows("export-subscribers", query.filters.filters(), query.format);
    respond(streamed_download(std::move(stream), query.format, "subscribers",
                              ExportAudit{services.audit, std::move(actor), "subscribers", query.filters.described()}));
  });
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
