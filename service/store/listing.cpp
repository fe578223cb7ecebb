#include "store/listing.hpp"

#include <pqxx/pqxx>

#include "domain/csv.hpp"

namespace leadgate::store {

namespace {

// A full page may have a successor; its last row is where the next begins.
Page to_page(const pqxx::result& rows, int limit) {
  Page page;
  for (const auto& row : rows) page.items.push_back(row[0].as<std::string>());
  if (!rows.empty() && static_cast<int>(rows.size()) == limit) {
    const auto& last = rows[rows.size() - 1];
    page.next = domain::PageCursor{last[1].as<std::int64_t>(), last[2].as<std::string>()};
  }
  return page;
}

std::string without_trailing_semicolon(std::string sql) {
  while (!sql.empty() && (sql.back() == ';' || sql.back() == '\n' || sql.back() == ' ')) sql.pop_back();
  return sql;
}

void csv_header(const pqxx::result& columns, std::string& out) {
  for (pqxx::row::size_type i = 0; i < columns.columns(); ++i) {
    if (i > 0) out += ',';
    domain::append_csv_cell(out, columns.column_name(i));
  }
  out += "\r\n";
}

void csv_row(const pqxx::row& row, std::string& out) {
  for (pqxx::row::size_type i = 0; i < row.size(); ++i) {
    if (i > 0) out += ',';
    auto field = row[i];  // each pqxx::field holds a reference-counted pointer: make one per cell, not three
    if (!field.is_null()) domain::append_csv_cell(out, std::string_view(field.c_str(), field.size()));
  }
  out += "\r\n";
}

void json_line(const pqxx::row& row, std::string& out) {
  out.append(row[0].c_str(), row[0].size());
  out += '\n';
}

// q as a LIKE pattern that matches it literally anywhere: its own %, _ and
// backslash escaped.
std::optional<std::string> contains_pattern(const std::optional<std::string>& q) {
  if (!q) return std::nullopt;
  std::string pattern = "%";
  for (char c : *q) {
    if (c == '%' || c == '_' || c == '\\') pattern += '\\';
    pattern += c;
  }
  return pattern + "%";
}

// The parameters of the lead-filter and subscriber-filter fragments
// (db/queries/leads.sql, subscribers.sql), in their order; for leads, then
// the search pattern ($6 of the -matching statements) when there is one.
std::vector<std::optional<std::string>> parameters_of(const domain::LeadFilter& filter) {
  std::vector<std::optional<std::string>> parameters = {filter.form, filter.status, filter.from, filter.to,
                                                        filter.owner};
  if (filter.q) parameters.push_back(contains_pattern(filter.q));
  return parameters;
}

// A search has statements of its own (the -matching ones): the trigram
// index can only be chosen for a search written into the statement, not
// for one that a NULL may switch off.
std::string lead_query(std::string_view base, const domain::LeadFilter& filter) {
  return std::string(base) + (filter.q ? "-matching" : "");
}

std::vector<std::optional<std::string>> parameters_of(const domain::SubscriberFilter& filter) {
  return {filter.state, filter.from, filter.to, contains_pattern(filter.q)};
}

}  // namespace

async::Task<Page> PgListing::leads(domain::LeadFilter filter, After after, int limit) {
  return page(lead_query("list-leads", filter), parameters_of(filter), after, limit);
}

async::Task<Page> PgListing::subscribers(domain::SubscriberFilter filter, After after, int limit) {
  return page("list-subscribers", parameters_of(filter), after, limit);
}

async::Task<Page> PgListing::bookings(domain::BookingFilter filter, After after, int limit) {
  return page(filter.past ? "list-bookings-past" : "list-bookings-upcoming", {filter.from, filter.to}, after, limit);
}

async::Task<Page> PgListing::audit_entries(After after, int limit) { return page("list-audit", {}, after, limit); }

std::shared_ptr<RowStream> PgListing::export_leads(domain::LeadFilter filter, ExportFormat format) {
  return export_rows(lead_query("export-leads", filter), parameters_of(filter), format);
}

std::shared_ptr<RowStream> PgListing::export_subscribers(domain::SubscriberFilter filter, ExportFormat format) {
  return export_rows("export-subscribers", parameters_of(filter), format);
}

async::Task<Page> PgListing::page(std::string query, Parameters filters, After after, int limit) {
  if (after) {
    filters.emplace_back(std::to_string(after->created_at_micros));
    filters.emplace_back(after->id);
  } else {
    filters.emplace_back(std::nullopt);
    filters.emplace_back(std::nullopt);
  }
  filters.emplace_back(std::to_string(limit));
  // Sent with its parameters, not as the prepared statement: PostgreSQL then
  // plans it for the filters given (a month by date, an owner by
  // leads_by_owner, …). A prepared statement switches to a generic plan
  // after a few executions, which cannot use an index for a filter that may
  // be NULL (bench/RESULTS.md, search at scale).
  return database_.run<Page>(
      [sql = queries_.all().at(query), filters = std::move(filters), limit](pqxx::connection_base& connection) {
        pqxx::nontransaction statement(connection);
        return to_page(statement.exec_params(sql, pqxx::prepare::make_dynamic_params(filters)), limit);
      });
}

async::Task<std::optional<std::string>> PgListing::subscriber(std::string id) {
  return database_.run<std::optional<std::string>>(
      [id = std::move(id)](pqxx::connection_base& connection) {
        pqxx::nontransaction statement(connection);
        auto rows = statement.exec_prepared("get-subscriber", id);
        return rows.empty() ? std::nullopt : std::optional<std::string>(rows[0][0].as<std::string>());
      });
}

std::shared_ptr<void> PgListing::take_export_slot() {
  if (running_exports_->fetch_add(1) >= max_exports_) {
    running_exports_->fetch_sub(1);
    domain::Error busy(domain::ErrorKind::unavailable,
                       "Too many exports are running. Please try again in a minute.",
                       "export.max_concurrent reached");
    busy.with_header("Retry-After", "30");
    throw busy;
  }
  // Shares the counter, so a stream outliving this store still gives its place back.
  return std::shared_ptr<void>(nullptr, [running = running_exports_](void*) { running->fetch_sub(1); });
}

std::shared_ptr<RowStream> PgListing::export_rows(const std::string& query, Parameters filters, ExportFormat format) {
  auto slot = take_export_slot();
  auto sql = without_trailing_semicolon(queries_.all().at(query));
  // NDJSON: each row as PostgreSQL's own JSON object of its columns.
  if (format == ExportFormat::ndjson) sql = "SELECT row_to_json(export_row)::text FROM (" + sql + ") export_row";
  return RowStream::start(
      url_,
      [sql = std::move(sql), filters = std::move(filters)](pqxx::transaction_base& transaction) {
        transaction.exec_params("DECLARE export NO SCROLL CURSOR FOR " + sql,
                                pqxx::prepare::make_dynamic_params(filters));
      },
      format == ExportFormat::csv ? RowStream::Header(csv_header) : RowStream::Header(),
      format == ExportFormat::csv ? RowStream::Format(csv_row) : RowStream::Format(json_line), std::move(slot));
}

}  // namespace leadgate::store
