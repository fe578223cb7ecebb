#include "store/listing.hpp"

#include <pqxx/pqxx>

#include "domain/csv.hpp"

namespace leadgate::store {

namespace {

std::optional<std::string_view> cell(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return std::string_view(field.c_str(), field.size());
}

// The rows of `result` as a page; a full page may have a successor.
Page to_page(const pqxx::result& rows, int limit) {
  Page page;
  for (const auto& row : rows) page.items.push_back(row[0].as<std::string>());
  if (!rows.empty() && static_cast<int>(rows.size()) == limit) {
    const auto& last = rows[rows.size() - 1];
    page.next = domain::PageCursor{last[1].as<std::int64_t>(), last[2].as<std::string>()};
  }
  return page;
}

}  // namespace

void SubscriberListing::page(SubscriberFilter filter, std::optional<domain::PageCursor> after, int limit,
                             std::function<void(Outcome<Page>)> done) {
  database_.run<Page>(
      [filter = std::move(filter), after = std::move(after), limit](pqxx::connection_base& connection) {
        pqxx::nontransaction query(connection);
        std::optional<std::int64_t> micros;
        std::optional<std::string> id;
        if (after) {
          micros = after->created_at_micros;
          id = after->id;
        }
        return to_page(query.exec_prepared("list-subscribers", filter.state, filter.from, filter.to, micros, id, limit),
                       limit);
      },
      std::move(done));
}

std::shared_ptr<RowStream> SubscriberListing::export_csv(SubscriberFilter filter) {
  std::string header;
  domain::append_csv_row(header, {"id", "email", "name", "state", "consent_version", "created_at", "confirmed_at",
                                  "unsubscribed_at", "page_url", "referrer", "utm_source", "utm_medium",
                                  "utm_campaign", "utm_term", "utm_content"});
  auto sql = queries_.all().at("export-subscribers");
  return RowStream::start(
      url_, std::move(header),
      [sql = std::move(sql), filter = std::move(filter)](pqxx::transaction_base& transaction) {
        transaction.exec_params("DECLARE export NO SCROLL CURSOR FOR " + sql, filter.state, filter.from, filter.to);
      },
      [](const pqxx::row& row, std::string& out) {
        domain::append_csv_row(out, {cell(row[0]), cell(row[1]), cell(row[2]), cell(row[3]), cell(row[4]),
                                     cell(row[5]), cell(row[6]), cell(row[7]), cell(row[8]), cell(row[9]),
                                     cell(row[10]), cell(row[11]), cell(row[12]), cell(row[13]), cell(row[14])});
      });
}

}  // namespace leadgate::store
