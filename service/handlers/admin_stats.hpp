#pragma once
// The dashboard's figures (docs/sales-api.md, "Dashboard"), role sales:
//   GET /v1/admin/stats?from=YYYY-MM-DD&to=YYYY-MM-DD&group=day|week
// for the days from `from` to `to` (both included) in the business zone
// (booking.timezone): by default the last 30 days to today, by day; at most
// 366 days. Anything else is a 422 naming the parameter. The admin page's
// dashboard (admin_dashboard.hpp) draws the same JSON.

#include <nlohmann/json.hpp>

#include "handlers/services.hpp"
#include "http/message.hpp"
#include "store/stats.hpp"

namespace leadgate::handlers {

// The range the query string asks for, its defaults filled in from today
// in `config`'s business zone. Throws the 422 for what is wrong.
store::StatsRange stats_range(const config::Config& config, const http::Request& request);

// The figures as the API answers them (the Stats schema of docs/openapi.yaml).
nlohmann::json stats_json(const store::StatsRange& range, const store::Stats& stats);

// stats_json of the range the request asks for.
async::Task<nlohmann::json> requested_stats(Services& services, const http::Request& request);

async::Task<http::Response> get_stats(Services& services, const http::Request& request);

}  // namespace leadgate::handlers
