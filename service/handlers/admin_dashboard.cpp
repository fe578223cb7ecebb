#include "handlers/admin_dashboard.hpp"

#include <cmath>
#include <cstdio>

#include "handlers/admin_charts.hpp"
#include "handlers/admin_leads.hpp"
#include "handlers/admin_stats.hpp"

namespace leadgate::handlers {

namespace {

// "3 d 4 h", "2 h 30 min", "45 min", "40 s": a duration as sales say it.
std::string spoken_duration(double seconds) {
  auto total = static_cast<std::int64_t>(std::llround(seconds));
  auto days = total / 86400;
  auto hours = total % 86400 / 3600;
  auto minutes = total % 3600 / 60;
  if (days > 0) return std::to_string(days) + " d " + std::to_string(hours) + " h";
  if (hours > 0) return std::to_string(hours) + " h " + std::to_string(minutes) + " min";
  if (minutes > 0) return std::to_string(minutes) + " min";
  return std::to_string(total) + " s";
}

std::string percent(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.1f %%", share * 100);
  return text;
}

// Table rows and chart bars of `figures`, an object of counts, in `order`.
struct Figures {
  nlohmann::json rows = nlohmann::json::array();
  std::vector<charts::Bar> bars;
};

Figures named_counts(const nlohmann::json& figures, std::span<const std::pair<std::string, std::string>> order) {
  Figures out;
  for (const auto& [key, label] : order) {
    auto count = figures.value(key, std::int64_t{0});
    out.rows.push_back({{"key", key}, {"label", label}, {"count", count}});
    out.bars.push_back({label, count});
  }
  return out;
}

// The page's data from the figures as GET /v1/admin/stats answers them.
nlohmann::json dashboard_view(const nlohmann::json& stats) {
  const auto& leads = stats["leads"];
  auto group = stats["group"].get<std::string>();
  auto range_text = stats["from"].get<std::string>() + " to " + stats["to"].get<std::string>();

  // Leads per period by form: the columns and the table.
  std::vector<std::string> periods;
  std::vector<charts::Series> by_form;
  for (auto form : lead_forms()) by_form.push_back({std::string(form), {}});
  nlohmann::json period_rows = nlohmann::json::array();
  for (const auto& period : leads["periods"]) {
    periods.push_back(period["start"].get<std::string>());
    nlohmann::json counts = nlohmann::json::array();
    for (auto& series : by_form) {
      auto count = period["by_form"].value(series.name, std::int64_t{0});
      series.values.push_back(count);
      counts.push_back(count);
    }
    period_rows.push_back({{"start", period["start"]}, {"counts", counts}, {"total", period["total"]}});
  }
  nlohmann::json form_names = nlohmann::json::array();
  for (auto form : lead_forms()) form_names.push_back(form);

  Figures sources;
  for (const auto& source : leads["by_source"]) {
    auto name = source["source"].get<std::string>();
    auto count = source["count"].get<std::int64_t>();
    sources.rows.push_back({{"key", name}, {"label", name}, {"count", count}});
    sources.bars.push_back({name, count});
  }

  std::vector<std::pair<std::string, std::string>> statuses;
  for (auto status : lead_statuses()) statuses.emplace_back(status, status);
  auto funnel = named_counts(stats["funnel"], statuses);
  const std::pair<std::string, std::string> outcomes[] = {
      {"held", "held"}, {"cancelled", "cancelled"}, {"no_show", "no-show"}};
  auto bookings = named_counts(stats["bookings"], outcomes);

  const auto& changes = stats["first_status_change"];
  const auto& spam = stats["spam"];
  std::string per = group == "week" ? "week" : "day";
  return nlohmann::json{
      {"from", stats["from"]},
      {"to", stats["to"]},
      {"timezone", stats["timezone"]},
      {"group_options", {{{"value", "day"}, {"label", "Day"}, {"selected", group == "day"}},
                         {{"value", "week"}, {"label", "Week (from Monday)"}, {"selected", group == "week"}}}},
      {"per", per},
      {"leads_total", leads["total"]},
      {"spam_count", spam["spam"]},
      {"all_count", spam["all"]},
      {"spam_share", percent(spam["share"].get<double>())},
      {"changed_leads", changes["leads"]},
      {"median_to_first_change",
       changes["median_seconds"].is_number() ? nlohmann::json(spoken_duration(changes["median_seconds"].get<double>()))
                                             : nlohmann::json(false)},
      {"form_names", form_names},
      {"periods", period_rows},
      {"periods_chart", charts::column_chart("chart-periods", "Leads per " + per + " by form, " + range_text,
                                             periods, by_form)},
      {"sources", sources.rows},
      {"sources_chart", charts::bar_chart("chart-sources", "Leads by source, " + range_text, sources.bars)},
      {"funnel", funnel.rows},
      {"funnel_chart", charts::bar_chart("chart-funnel", "Leads by status now, " + range_text, funnel.bars)},
      {"bookings", bookings.rows},
      {"bookings_chart", charts::bar_chart("chart-bookings", "Meetings by outcome, " + range_text, bookings.bars)},
  };
}

}  // namespace

async::Task<nlohmann::json> dashboard_page_data(Services& services, const http::Request& request) {
  co_return dashboard_view(co_await requested_stats(services, request));
}

}  // namespace leadgate::handlers
