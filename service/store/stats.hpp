#pragma once
// The dashboard's figures for a range of days (db/queries/stats.sql), read
// in one snapshot so that they add up.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "async/task.hpp"
#include "store/database.hpp"

namespace leadgate::store {

struct StatsRange {
  std::string from;      // YYYY-MM-DD, the first day
  std::string to;        // YYYY-MM-DD, the last day
  std::string timezone;  // the zone those days are in
  std::string group;     // "day" or "week"
};

// Leads that are not spam, of one period, form and source.
struct LeadCount {
  std::string period;  // the period's first day, YYYY-MM-DD
  std::string form;
  std::string source;
  std::int64_t count = 0;
};

struct StatusCount {
  std::string status;
  std::int64_t count = 0;
};

struct Stats {
  std::vector<std::string> periods;  // the first day of each, in order
  std::vector<LeadCount> leads;
  std::vector<StatusCount> funnel;   // only the statuses that occur
  std::int64_t changed_leads = 0;    // leads whose status sales have changed
  std::optional<double> median_seconds_to_first_change;
  std::int64_t bookings_held = 0;
  std::int64_t bookings_cancelled = 0;
  std::int64_t bookings_no_show = 0;
};

class StatsStore {
 public:
  virtual ~StatsStore() = default;
  virtual async::Task<Stats> figures(StatsRange range) = 0;
};

class PgStatsStore final : public StatsStore {
 public:
  explicit PgStatsStore(Database& database) : database_(database) {}

  async::Task<Stats> figures(StatsRange range) override;

 private:
  Database& database_;
};

}  // namespace leadgate::store
