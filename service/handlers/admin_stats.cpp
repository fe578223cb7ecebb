#include "handlers/admin_stats.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <array>
#include <map>

#include "domain/error.hpp"
#include "domain/slots.hpp"
#include "handlers/admin_auth.hpp"
#include "handlers/admin_leads.hpp"
#include "handlers/slot_days.hpp"
#include "http/query.hpp"

namespace leadgate::handlers {

namespace {

constexpr int default_stats_days = 30;
// A year, leap day included: enough to compare with the year before,
// bounded so that one request cannot make the database count for ever.
constexpr int max_stats_days = 366;
constexpr std::array<std::string_view, 2> stats_groups = {"day", "week"};

std::string iso_day(date::year_month_day day) { return date::format("%F", date::sys_days(day)); }

}  // namespace

store::StatsRange stats_range(const config::Config& config, const http::Request& request) {
  auto query = request.query();
  std::vector<domain::FieldError> errors;
  auto day = [&](std::string_view name) -> std::optional<date::year_month_day> {
    auto value = http::query_value(query, name);
    if (!value || value->empty()) return std::nullopt;
    auto parsed = domain::parse_date(*value);
    if (!parsed) errors.push_back({std::string(name), "invalid_date", "Must be a date, YYYY-MM-DD."});
    return parsed;
  };
  auto from = day("from");
  auto to = day("to");
  std::string group = "day";
  if (auto value = http::query_value(query, "group"); value && !value->empty()) {
    if (std::find(stats_groups.begin(), stats_groups.end(), *value) == stats_groups.end()) {
      errors.push_back({"group", "not_allowed", "Must be one of day, week."});
    } else {
      group = *value;
    }
  }
  if (!errors.empty()) throw domain::Error::validation(errors);

  // Today as the sales team's calendar says (the zone bookings use).
  if (!to) to = days_from_today(date::locate_zone(config.booking.timezone), now_seconds(), 1).first;
  if (!from) from = date::year_month_day(date::sys_days(*to) - date::days(default_stats_days - 1));
  auto days = (date::sys_days(*to) - date::sys_days(*from)).count() + 1;
  if (days < 1) throw domain::Error::validation({{"from", "after_to", "Must not be after to."}});
  if (days > max_stats_days) {
    throw domain::Error::validation(
        {{"from", "range_too_long", "From from to to may span at most " + std::to_string(max_stats_days) + " days."}});
  }
  return store::StatsRange{iso_day(*from), iso_day(*to), config.booking.timezone, group};
}

nlohmann::json stats_json(const store::StatsRange& range, const store::Stats& stats) {
  nlohmann::json no_forms = nlohmann::json::object();
  for (auto form : lead_forms()) no_forms[std::string(form)] = 0;

  std::map<std::string, nlohmann::json> periods;
  nlohmann::json by_form = no_forms;
  std::map<std::string, std::int64_t> by_source;
  std::int64_t total = 0;
  auto empty_period = [&no_forms](const std::string& start) {
    return nlohmann::json{{"start", start}, {"total", 0}, {"by_form", no_forms}, {"by_source", nlohmann::json::object()}};
  };
  for (const auto& period : stats.periods) periods[period] = empty_period(period);
  for (const auto& count : stats.leads) {
    auto& period = periods[count.period];
    if (period.is_null()) period = empty_period(count.period);
    period["total"] = period["total"].get<std::int64_t>() + count.count;
    period["by_form"][count.form] = period["by_form"].value(count.form, std::int64_t{0}) + count.count;
    period["by_source"][count.source] = period["by_source"].value(count.source, std::int64_t{0}) + count.count;
    by_form[count.form] = by_form.value(count.form, std::int64_t{0}) + count.count;
    by_source[count.source] += count.count;
    total += count.count;
  }
  nlohmann::json period_list = nlohmann::json::array();
  for (auto& [start, period] : periods) period_list.push_back(std::move(period));

  // Most leads first; equal counts by name, so the order is stable.
  std::vector<std::pair<std::string, std::int64_t>> sources(by_source.begin(), by_source.end());
  std::stable_sort(sources.begin(), sources.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  nlohmann::json source_list = nlohmann::json::array();
  for (const auto& [source, count] : sources) source_list.push_back({{"source", source}, {"count", count}});

  nlohmann::json funnel = nlohmann::json::object();
  for (auto status : lead_statuses()) funnel[std::string(status)] = 0;
  std::int64_t all = 0;
  for (const auto& count : stats.funnel) {
    funnel[count.status] = count.count;
    all += count.count;
  }
  auto spam = funnel.value("spam", std::int64_t{0});

  return {
      {"from", range.from},
      {"to", range.to},
      {"group", range.group},
      {"timezone", range.timezone},
      {"leads", {{"total", total}, {"by_form", by_form}, {"by_source", source_list}, {"periods", period_list}}},
      {"funnel", funnel},
      {"first_status_change",
       {{"leads", stats.changed_leads},
        {"median_seconds", stats.median_seconds_to_first_change ? nlohmann::json(*stats.median_seconds_to_first_change)
                                                                : nlohmann::json(nullptr)}}},
      {"bookings",
       {{"held", stats.bookings_held}, {"cancelled", stats.bookings_cancelled}, {"no_show", stats.bookings_no_show}}},
      {"spam", {{"spam", spam}, {"all", all}, {"share", all == 0 ? 0.0 : static_cast<double>(spam) / static_cast<double>(all)}}},
  };
}

async::Task<nlohmann::json> requested_stats(Services& services, const http::Request& request) {
  auto range = stats_range(services.config, request);
  auto stats = co_await services.stats.figures(range);
  co_return stats_json(range, stats);
}

async::Task<http::Response> get_stats(Services& services, const http::Request& request) {
  co_await authenticate(services, request, store::Role::sales);
  co_return http::Response::json(200, (co_await requested_stats(services, request)).dump());
}

}  // namespace leadgate::handlers
