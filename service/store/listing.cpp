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

}  // namespace

async::Task<Page> PgListing::page(std::string query, Filters filters, std::optional<domain::PageCursor> after, int limit) {
  if (after) {
    filters.emplace_back(std::to_string(after->created_at_micros));
    filters.emplace_back(after->id);
  } else {
    filters.emplace_back(std::nullopt);
    filters.emplace_back(std::nullopt);
  }
  filters.emplace_back(std::to_string(limit));
  return database_.run<Page>(
      [query = std::move(query), filters = std::move(filters), limit](pqxx::connection_base& connection) {
        pqxx::nontransaction statement(connection);
        return to_page(statement.exec_prepared(query, pqxx::prepare::make_dynamic_params(filters)), limit);
      });
}

async::Task<std::optional<std::string>> PgListing::one(std::string query, std::string id) {
  return database_.run<std::optional<std::string>>(
      [query = std::move(query), id = std::move(id)](pqxx::connection_base& connection) {
        pqxx::nontransaction statement(connection);
        auto rows = statement.exec_prepared(query, id);
        return rows.empty() ? std::nullopt : std::optional<std::string>(rows[0][0].as<std::string>());
      });
}

std::shared_ptr<RowStream> PgListing::export_rows(const std::string& query, Filters filters, ExportFormat format) {
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
      format == ExportFormat::csv ? RowStream::Format(csv_row) : RowStream::Format(json_line));
}

}  // namespace leadgate::store
