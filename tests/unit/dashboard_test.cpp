// The dashboard's pure parts: the stats JSON built from the store's rows
// (handlers/admin_stats) and the SVG charts (handlers/admin_charts), whose
// labels come from visitors (utm_source) and go into the page unescaped by
// the template.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "handlers/admin_charts.hpp"
#include "handlers/admin_stats.hpp"

namespace {

namespace charts = leadgate::handlers::charts;
using leadgate::handlers::stats_json;
using leadgate::store::Stats;
using leadgate::store::StatsRange;

TEST(dashboard_stats, every_period_form_and_status_is_listed_with_zeros_and_sources_sorted_by_count) {
  StatsRange range{"2026-03-01", "2026-03-03", "Europe/Berlin", "day"};
  Stats stats;
  stats.periods = {"2026-03-01", "2026-03-02", "2026-03-03"};
  stats.leads = {{"2026-03-01", "estimate", "google", 2}, {"2026-03-01", "consultation", "direct", 1},
                 {"2026-03-03", "estimate", "direct", 2}, {"2026-03-03", "estimate", "bing", 2}};
  stats.funnel = {{"new", 5}, {"spam", 3}};
  stats.changed_leads = 0;
  auto json = stats_json(range, stats);

  EXPECT_EQ(json["leads"]["total"], 7);
  EXPECT_EQ(json["leads"]["by_form"], (nlohmann::json{{"estimate", 6}, {"consultation", 1}}));
  EXPECT_EQ(json["leads"]["by_source"],
            (nlohmann::json::parse(R"([{"source":"direct","count":3},{"source":"bing","count":2},)"
                                   R"({"source":"google","count":2}])")));
  const auto& periods = json["leads"]["periods"];
  ASSERT_EQ(periods.size(), 3u);
  EXPECT_EQ(periods[1], nlohmann::json::parse(R"({"start":"2026-03-02","total":0,)"
                                              R"("by_form":{"estimate":0,"consultation":0},"by_source":{}})"));
  EXPECT_EQ(periods[2]["by_source"], (nlohmann::json{{"direct", 2}, {"bing", 2}}));
  EXPECT_EQ(json["funnel"], nlohmann::json::parse(
                                R"({"new":5,"contacted":0,"qualified":0,"won":0,"lost":0,"spam":3})"));
  EXPECT_EQ(json["spam"], nlohmann::json::parse(R"({"spam":3,"all":8,"share":0.375})"));
  EXPECT_TRUE(json["first_status_change"]["median_seconds"].is_null());
}

TEST(dashboard_stats, no_leads_is_a_share_of_zero) {
  auto json = stats_json(StatsRange{"2026-03-01", "2026-03-01", "UTC", "week"}, Stats{});
  EXPECT_EQ(json["spam"]["share"], 0.0);
  EXPECT_EQ(json["leads"]["by_source"], nlohmann::json::array());
}

TEST(dashboard_charts, a_visitors_source_is_escaped_in_the_chart_and_its_title) {
  std::vector<charts::Bar> bars = {{"<script>alert(1)</script>", 3}, {"a&b\"c'", 1}};
  auto svg = charts::bar_chart("chart-sources", "Leads by <source>", bars);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;alert(1)&lt;/s…"), std::string::npos) << svg;
  EXPECT_NE(svg.find("a&amp;b&quot;c&#39;"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<title id=\"chart-sources-title\">Leads by &lt;source&gt;</title>"), std::string::npos);
  EXPECT_NE(svg.find("role=\"img\" aria-labelledby=\"chart-sources-title\""), std::string::npos);
  EXPECT_EQ(svg.find("style="), std::string::npos);
}

TEST(dashboard_charts, every_bar_is_labelled_with_its_number_and_series_differ_in_pattern) {
  std::vector<charts::Bar> bars = {{"held", 2}, {"no-show", 0}};
  auto svg = charts::bar_chart("b", "Meetings", bars);
  EXPECT_NE(svg.find(">2</text>"), std::string::npos);
  EXPECT_NE(svg.find(">0</text>"), std::string::npos);

  std::vector<std::string> periods = {"2026-03-01", "2026-03-02"};
  std::vector<charts::Series> series = {{"estimate", {1, 0}}, {"consultation", {2, 1}}};
  auto columns = charts::column_chart("c", "Leads per day", periods, series);
  EXPECT_NE(columns.find("<pattern id=\"c-fill-1\""), std::string::npos);
  EXPECT_NE(columns.find("fill=\"url(#c-fill-1)\""), std::string::npos);
  EXPECT_NE(columns.find("<title>2026-03-01: 1 estimate, 2 consultation</title>"), std::string::npos) << columns;
  EXPECT_NE(columns.find(">estimate</text>"), std::string::npos);
  EXPECT_NE(columns.find(">consultation</text>"), std::string::npos);
}

}  // namespace
