#pragma once
// The admin page's dashboard, GET /admin/dashboard (docs/sales-api.md,
// "Dashboard"): the figures of GET /v1/admin/stats for the range its form
// asks for, each drawn as an SVG chart with its numbers in a table beside
// it. admin_page.cpp signs the visitor in and frames the page.

#include <nlohmann/json.hpp>

#include "async/task.hpp"
#include "handlers/services.hpp"
#include "http/message.hpp"

namespace leadgate::handlers {

// What templates/pages/admin_dashboard.html.mustache shows for `request`'s
// range. Throws the 422 for a range that is wrong.
async::Task<nlohmann::json> dashboard_page_data(Services& services, const http::Request& request);

}  // namespace leadgate::handlers
