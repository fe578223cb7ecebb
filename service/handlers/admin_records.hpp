#pragma once
// What the sales API's listings share: a page of rows as JSON, and the list
// and export endpoints of a kind of record (leads, subscribers), which differ
// only in their queries and filters.

#include <nlohmann/json.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "handlers/admin_query.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

// A request's filters, as the store calls that list and export the records
// they select, and as the export's audit entry names them.
struct RecordQuery {
  std::function<async::Task<store::Page>(store::Listing&, store::Listing::After, int limit)> page;
  std::function<std::shared_ptr<store::RowStream>(store::Listing&, store::ExportFormat)> export_rows;
  nlohmann::json described;
};

// The RecordQuery of one kind of record: its Listing calls with `filter`.
template <typename Filter>
RecordQuery record_query(Filter filter, nlohmann::json described,
                         async::Task<store::Page> (store::Listing::*list)(Filter, store::Listing::After, int),
                         std::shared_ptr<store::RowStream> (store::Listing::*export_rows)(Filter, store::ExportFormat)) {
  return RecordQuery{[filter, list](store::Listing& listing, store::Listing::After after, int limit) {
                       return (listing.*list)(filter, after, limit);
                     },
                     [filter, export_rows](store::Listing& listing, store::ExportFormat format) {
                       return (listing.*export_rows)(filter, format);
                     },
                     std::move(described)};
}

struct ListedRecords {
  std::string_view resource;  // "leads": the export's file name and its audit entry's resource
  RecordQuery (*read_filters)(AdminQuery& query, const ListQuery& list);  // errors collected in `query`
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
