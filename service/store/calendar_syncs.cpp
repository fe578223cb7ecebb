#include "store/calendar_syncs.hpp"

#include <pqxx/pqxx>

#include "store/lane_connection.hpp"
#include "store/pg_array.hpp"
#include "store/unix_time.hpp"

namespace leadgate::store {

namespace {

std::string bigint_array(const std::vector<std::int64_t>& values) {
  std::vector<std::string> texts;
  texts.reserve(values.size());
  for (auto value : values) texts.push_back(std::to_string(value));
  return text_array(texts);
}

std::optional<std::chrono::seconds> seconds_or_never(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return std::chrono::seconds(field.as<std::int64_t>());
}

}  // namespace

struct CalendarSyncs::Impl {
  LaneConnection connection;

  template <typename Use>
  auto with_connection(Use use) {
    return connection.with(use);
  }
};

CalendarSyncs::CalendarSyncs(std::string url, const Queries& queries)
    : impl_(new Impl{LaneConnection(std::move(url), queries)}) {}

CalendarSyncs::~CalendarSyncs() = default;

void CalendarSyncs::ensure(const std::vector<CalendarRef>& calendars) {
  std::vector<std::string> hosts;
  std::vector<std::string> keys;
  for (const auto& calendar : calendars) {
    hosts.push_back(calendar.host_id);
    keys.push_back(calendar.calendar);
  }
  impl_->with_connection([&](pqxx::connection_base& connection) {
    pqxx::work transaction(connection);
    transaction.exec_prepared("ensure-calendar-sync", text_array(hosts), text_array(keys));
    transaction.commit();
  });
}

std::optional<CalendarSyncs::Lease> CalendarSyncs::lease(const CalendarRef& calendar, const std::string& worker,
                                                         std::chrono::seconds lease_time,
                                                         std::chrono::seconds interval) {
  return impl_->with_connection([&](pqxx::connection_base& connection) -> std::optional<Lease> {
    pqxx::work transaction(connection);
    auto rows = transaction.exec_prepared("lease-calendar-sync", calendar.host_id, calendar.calendar, worker,
                                          static_cast<double>(lease_time.count()),
                                          static_cast<double>(interval.count()));
    transaction.commit();
    if (rows.empty()) return std::nullopt;
    return Lease{rows[0][0].is_null() ? std::nullopt : std::optional(rows[0][0].as<std::string>())};
  });
}

bool CalendarSyncs::synced(const CalendarRef& calendar, const std::string& worker,
                           const std::optional<std::string>& etag,
                           const std::optional<std::vector<calendar::Interval>>& busy) {
  return impl_->with_connection([&](pqxx::connection_base& connection) {
    pqxx::work transaction(connection);
    // Only the lease holder records the outcome; the row stays locked until
    // the busy time is replaced, so no other worker's sync interleaves.
    auto held = transaction.exec_prepared("calendar-synced", calendar.host_id, calendar.calendar, worker, etag,
                                          busy.has_value());
    if (held.empty()) return false;  // the transaction rolls back
    if (busy) {
      std::vector<std::int64_t> starts;
      std::vector<std::int64_t> ends;
      for (const auto& interval : *busy) {
        starts.push_back(epoch_seconds(interval.start));
        ends.push_back(epoch_seconds(interval.end));
      }
      transaction.exec_prepared("clear-busy-times", calendar.host_id, calendar.calendar);
      transaction.exec_prepared("insert-busy-times", calendar.host_id, calendar.calendar, bigint_array(starts),
                                bigint_array(ends));
    }
    transaction.commit();
    return true;
  });
}

std::optional<std::chrono::seconds> CalendarSyncs::failed(const CalendarRef& calendar, const std::string& worker,
                                                          const std::string& error) {
  return impl_->with_connection([&](pqxx::connection_base& connection) -> std::optional<std::chrono::seconds> {
    pqxx::work transaction(connection);
    auto rows = transaction.exec_prepared("calendar-sync-failed", calendar.host_id, calendar.calendar, worker, error);
    transaction.commit();
    return rows.empty() ? std::nullopt : seconds_or_never(rows[0][0]);
  });
}

std::set<std::string> CalendarSyncs::booking_ids(const std::string& host_id) {
  return impl_->with_connection([&](pqxx::connection_base& connection) {
    pqxx::nontransaction query(connection);
    std::set<std::string> ids;
    for (const auto& row : query.exec_prepared("host-booking-ids", host_id)) ids.insert(row[0].as<std::string>());
    return ids;
  });
}

std::vector<CalendarSyncs::Age> CalendarSyncs::ages(const std::vector<std::string>& host_ids) {
  return impl_->with_connection([&](pqxx::connection_base& connection) {
    pqxx::nontransaction query(connection);
    std::vector<Age> ages;
    for (const auto& row : query.exec_prepared("calendar-sync-ages", text_array(host_ids))) {
      ages.push_back(Age{{row[0].as<std::string>(), row[1].as<std::string>()}, seconds_or_never(row[2])});
    }
    return ages;
  });
}

}  // namespace leadgate::store
