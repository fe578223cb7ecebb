#include "handlers/admin_records.hpp"

#include "handlers/admin_auth.hpp"
#include "handlers/export_response.hpp"
#include "http/problem.hpp"

namespace leadgate::handlers {

// Every handler checks the token before it looks at anything else, so a
// caller without one learns nothing, not even what a valid request is.
async::Task<http::Response> list_records(Services& services, const ListedRecords& records,
                                         const http::Request& request) {
  co_await authenticate(services, request, store::Role::sales);
  AdminQuery query(request);
  auto list = query.list();
  auto filters = records.read_filters(query, list);
  query.check();
  co_return page_response(co_await filters.page(services.listing, list.cursor, list.limit));
}

async::Task<http::Response> export_records(Services& services, const ListedRecords& records,
                                           const http::Request& request) {
  auto actor = co_await authenticate(services, request, store::Role::sales);
  AdminQuery query(request);
  auto list = query.list();
  auto filters = records.read_filters(query, list);
  auto format = query.export_format();
  query.check();
  std::string resource(records.resource);
  if (request.method == http::Method::head) co_return download_head(format, resource);
  auto stream = filters.export_rows(services.listing, format);
  co_return streamed_download(std::move(stream), format, resource,
                              ExportAudit{services.audit, std::move(actor), resource, std::move(filters.described)});
}

http::Response page_response(const store::Page& page) { return http::Response::json(200, page_json(page)); }

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
