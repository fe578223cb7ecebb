#include "store/stats.hpp"

#include <pqxx/pqxx>

namespace leadgate::store {

async::Task<Stats> PgStatsStore::figures(StatsRange range) {
  return database_.run<Stats>([range = std::move(range)](pqxx::connection_base& connection) {
    // One snapshot: the funnel, the leads and the spam share count the same
    // rows even while leads come in.
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> transaction(connection);
    Stats stats;
    for (const auto& row : transaction.exec_prepared("stats-periods", range.from, range.to, range.group)) {
      stats.periods.push_back(row[0].as<std::string>());
    }
    for (const auto& row :
         transaction.exec_prepared("stats-leads", range.from, range.to, range.timezone, range.group)) {
      stats.leads.push_back(LeadCount{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                                      row[3].as<std::int64_t>()});
    }
    for (const auto& row : transaction.exec_prepared("stats-funnel", range.from, range.to, range.timezone)) {
      stats.funnel.push_back(StatusCount{row[0].as<std::string>(), row[1].as<std::int64_t>()});
    }
    auto changes = transaction.exec_prepared1("stats-first-status-change", range.from, range.to, range.timezone);
    stats.changed_leads = changes[0].as<std::int64_t>();
    stats.median_seconds_to_first_change = changes[1].get<double>();
    auto bookings = transaction.exec_prepared1("stats-bookings", range.from, range.to, range.timezone);
    stats.bookings_held = bookings[0].as<std::int64_t>();
    stats.bookings_cancelled = bookings[1].as<std::int64_t>();
    stats.bookings_no_show = bookings[2].as<std::int64_t>();
    transaction.commit();
    return stats;
  });
}

}  // namespace leadgate::store
