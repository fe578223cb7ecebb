#pragma once
// GET /v1/admin/subscribers, /v1/admin/subscribers/export.csv and
// /v1/admin/subscribers/{id}, with the same lists and exports as for leads:
// role sales or admin.

#include <nlohmann/json.hpp>

#include <span>
#include <string_view>

#include "handlers/admin_query.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

// state, q and the list's dates, read from `query` (errors collected there).
domain::SubscriberFilter subscriber_filters(AdminQuery& query, const ListQuery& list);

// The filters that were given, by name (an export's audit entry, links).
nlohmann::json described(const domain::SubscriberFilter& filter);

// The states a subscriber can be in.
std::span<const std::string_view> subscriber_states();

async::Task<http::Response> list_subscribers(Services& services, const http::Request& request);
async::Task<http::Response> export_subscribers(Services& services, const http::Request& request);
async::Task<http::Response> get_subscriber(Services& services, const http::Request& request);

}  // namespace leadgate::handlers
