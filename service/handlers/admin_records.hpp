#pragma once
// What the sales API's listings share: a page of rows as JSON, and the list
// and export endpoints of a kind of record (leads, subscribers), which differ
// only in their queries and filters.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "handlers/admin_query.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

// A request's filters: the query's parameters, and how the export's audit
// entry names them.
struct RecordFilters {
  store::Filters parameters;
  nlohmann::json described;
};

struct ListedRecords {
  std::string_view resource;      // "leads": the export's file name and its audit entry's resource
  std::string_view list_query;    // db/queries, newest first, keyset-paginated
  std::string_view export_query;  // db/queries, oldest first
  RecordFilters (*read_filters)(AdminQuery& query, const ListQuery& list);  // errors collected in `query`
};

// GET …?filters&limit=&cursor= (role sales): {"items": [...], "next_cursor": …}.
async::Task<http::Response> list_records(Services& services, const ListedRecords& records,
                                         const http::Request& request);

// GET …/export.csv?filters&format=csv|json (role sales), streamed and audited.
async::Task<http::Response> export_records(Services& services, const ListedRecords& records,
                                           const http::Request& request);

// {"items": [...], "next_cursor": "…" | null} from rows PostgreSQL built.
std::string page_json(const store::Page& page);
http::Response page_response(const store::Page& page);

}  // namespace leadgate::handlers
