#pragma once
// What sales read: pages of records as JSON (keyset pagination, newest
// first) and exports streamed from a server-side cursor. The SQL decides the
// shape (db/queries/*.sql); this code is the same for leads, subscribers and
// bookings.

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

// A query's filter parameters, in its $1, $2, … order; PostgreSQL casts the
// text, and NULL means "any".
using Filters = std::vector<std::optional<std::string>>;

struct Page {
  std::vector<std::string> items;          // each a JSON object, as PostgreSQL built it
  std::optional<domain::PageCursor> next;  // set when there may be more
};

enum class ExportFormat { csv, ndjson };

class Listing {
 public:
  virtual ~Listing() = default;

  // `query` takes the filters, then the cursor (micros, id, both NULL for the
  // first page) and the limit, and returns rows of (JSON, created_at micros, id).
  virtual async::Task<Page> page(std::string query, Filters filters, std::optional<domain::PageCursor> after,
                                 int limit) = 0;

  // One record: `query` takes its id and returns at most one row, one JSON
  // column; nothing when there is no such record.
  virtual async::Task<std::optional<std::string>> one(std::string query, std::string id) = 0;

  // `query`'s rows: CSV (RFC 4180, a header row of its column names, formula
  // cells neutralised) or NDJSON (one JSON object per line).
  virtual std::shared_ptr<RowStream> export_rows(const std::string& query, Filters filters, ExportFormat format) = 0;
};

class PgListing final : public Listing {
 public:
  PgListing(Database& database, const Queries& queries, std::string url)
      : database_(database), queries_(queries), url_(std::move(url)) {}

  async::Task<Page> page(std::string query, Filters filters, std::optional<domain::PageCursor> after,
                         int limit) override;
  async::Task<std::optional<std::string>> one(std::string query, std::string id) override;
  std::shared_ptr<RowStream> export_rows(const std::string& query, Filters filters, ExportFormat format) override;

 private:
  Database& database_;
  const Queries& queries_;
  std::string url_;
};

}  // namespace leadgate::store
