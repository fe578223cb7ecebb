#pragma once
// What sales read: pages of records as JSON (keyset pagination, newest
// first) and exports streamed from a server-side cursor. The SQL decides the
// shape (db/queries/*.sql); the filters arrive as domain values and only
// this store knows which query and which parameter order they become.

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/page_cursor.hpp"
#include "domain/record_filters.hpp"
#include "store/database.hpp"
#include "store/queries.hpp"
#include "store/row_stream.hpp"

namespace leadgate::store {

struct Page {
  std::vector<std::string> items;          // each a JSON object, as PostgreSQL built it
  std::optional<domain::PageCursor> next;  // set when there may be more
};

enum class ExportFormat { csv, ndjson };

class Listing {
 public:
  virtual ~Listing() = default;

  using After = std::optional<domain::PageCursor>;  // nothing: the first page

  virtual async::Task<Page> leads(domain::LeadFilter filter, After after, int limit) = 0;
  virtual async::Task<Page> subscribers(domain::SubscriberFilter filter, After after, int limit) = 0;
  virtual async::Task<Page> bookings(domain::BookingFilter filter, After after, int limit) = 0;
  virtual async::Task<Page> audit_entries(After after, int limit) = 0;

  // One subscriber (a bot's signup too) with its consent records, as JSON;
  // nothing for an unknown id.
  virtual async::Task<std::optional<std::string>> subscriber(std::string id) = 0;

  // Every matching row, oldest first: CSV (RFC 4180, a header row of its
  // column names, formula cells neutralised) or NDJSON (one JSON object per
  // line).
  virtual std::shared_ptr<RowStream> export_leads(domain::LeadFilter filter, ExportFormat format) = 0;
  virtual std::shared_ptr<RowStream> export_subscribers(domain::SubscriberFilter filter, ExportFormat format) = 0;
};

class PgListing final : public Listing {
 public:
  // At most `max_exports` exports stream at once (each holds a connection
  // and a thread of its own); one more throws the 503 with Retry-After.
  PgListing(Database& database, const Queries& queries, std::string url, int max_exports = 1)
      : database_(database), queries_(queries), url_(std::move(url)), max_exports_(max_exports) {}

  async::Task<Page> leads(domain::LeadFilter filter, After after, int limit) override;
  async::Task<Page> subscribers(domain::SubscriberFilter filter, After after, int limit) override;
  async::Task<Page> bookings(domain::BookingFilter filter, After after, int limit) override;
  async::Task<Page> audit_entries(After after, int limit) override;
  async::Task<std::optional<std::string>> subscriber(std::string id) override;
  std::shared_ptr<RowStream> export_leads(domain::LeadFilter filter, ExportFormat format) override;
  std::shared_ptr<RowStream> export_subscribers(domain::SubscriberFilter filter, ExportFormat format) override;

 private:
  // A query's parameters in its $1, $2, … order; PostgreSQL casts the text,
  // and NULL means "any".
  using Parameters = std::vector<std::optional<std::string>>;

  // `query` takes `parameters`, then the cursor (micros, id, both NULL for
  // the first page) and the limit, and returns rows of (JSON, micros, id).
  async::Task<Page> page(std::string query, Parameters parameters, After after, int limit);
  std::shared_ptr<RowStream> export_rows(const std::string& query, Parameters parameters, ExportFormat format);

  // A place among the running exports, given back when the stream ends;
  // the 503 when there is none.
  std::shared_ptr<void> take_export_slot();

  Database& database_;
  const Queries& queries_;
  std::string url_;
  int max_exports_;
  std::shared_ptr<std::atomic<int>> running_exports_ = std::make_shared<std::atomic<int>>(0);
};

}  // namespace leadgate::store
