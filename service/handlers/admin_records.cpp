#include "handlers/admin_records.hpp"

#include "handlers/admin_auth.hpp"
#include "handlers/export_response.hpp"
#include "http/problem.hpp"

namespace leadgate::handlers {

// Every handler checks the token before it looks at anything else, so a
// caller without one learns nothing, not even what a valid request is.
void list_records(Services& services, const ListedRecords& records, const http::Request& request,
                  const http::Responder& respond) {
  with_actor(services, request, store::Role::sales, respond, [&services, &records, respond, request](store::Actor) {
    AdminQuery query(request);
    auto list = query.list();
    auto filters = records.read_filters(query, list);
    query.check();
    services.listing.page(std::string(records.list_query), std::move(filters.parameters), list.cursor, list.limit,
                          [respond](store::Outcome<store::Page> outcome) { respond(page_response(outcome)); });
  });
}

void export_records(Services& services, const ListedRecords& records, const http::Request& request,
                    const http::Responder& respond) {
  with_actor(services, request, store::Role::sales, respond,
             [&services, &records, respond, request](store::Actor actor) {
               AdminQuery query(request);
               auto list = query.list();
               auto filters = records.read_filters(query, list);
               auto format = query.export_format();
               query.check();
               auto stream = services.listing.export_rows(std::string(records.export_query),
                                                          std::move(filters.parameters), format);
               std::string resource(records.resource);
               respond(streamed_download(std::move(stream), format, resource,
                                         ExportAudit{services.audit, std::move(actor), resource,
                                                     std::move(filters.described)}));
             });
}

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

}  // namespace leadgate::handlers
