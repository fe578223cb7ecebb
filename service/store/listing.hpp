#pragma once
// What sales read: pages of records as JSON (keyset pagination, newest
// first) and exports streamed from a server-side cursor.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/page_cursor.hpp"
#include "store/database.hpp"
#include "store/queries.hpp"
#include "store/row_stream.hpp"

namespace leadgate::store {

struct SubscriberFilter {
  std::optional<std::string> state;
  std::optional<std::string> from;  // YYYY-MM-DD, creation date (UTC), inclusive
  std::optional<std::string> to;
};

struct Page {
  std::vector<std::string> items;  // each a JSON object, as PostgreSQL built it
  std::optional<domain::PageCursor> next;  // set when there may be more
};

class SubscriberListing {
 public:
  SubscriberListing(Database& database, const Queries& queries, std::string url)
      : database_(database), queries_(queries), url_(std::move(url)) {}

  void page(SubscriberFilter filter, std::optional<domain::PageCursor> after, int limit,
            std::function<void(Outcome<Page>)> done);

  // RFC 4180 CSV with a header row, oldest first.
  std::shared_ptr<RowStream> export_csv(SubscriberFilter filter);

 private:
  Database& database_;
  const Queries& queries_;
  std::string url_;
};

}  // namespace leadgate::store
