#pragma once
// Sales' leads API (docs/sales-api.md), role sales or admin:
//   GET   /v1/admin/leads?form=&status=&from=&to=&q=&limit=&cursor=
//   GET   /v1/admin/leads/export.csv?…the same filters…&format=csv|json
//   GET   /v1/admin/leads/{id}
//   PATCH /v1/admin/leads/{id}   {"status": "…", "note": "…"}

#include <cstddef>
#include <span>
#include <string_view>

#include "handlers/admin_query.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

async::Task<http::Response> list_leads(Services& services, const http::Request& request);
async::Task<http::Response> export_leads(Services& services, const http::Request& request);
async::Task<http::Response> get_lead(Services& services, const http::Request& request);
async::Task<http::Response> patch_lead(Services& services, const http::Request& request);

// form, status, q and the list's dates, read from `query` (errors collected there).
domain::LeadFilter lead_filters(AdminQuery& query, const ListQuery& list);

// The filters that were given, by name, for an export's audit entry and for
// links that keep them.
nlohmann::json described(const domain::LeadFilter& filter);

// The statuses a lead can have, in the order sales works through them.
std::span<const std::string_view> lead_statuses();
// The forms that make leads.
std::span<const std::string_view> lead_forms();
// The shortest text a search (q) takes: fewer characters would match most
// leads, and the trigram index cannot answer them.
inline constexpr std::size_t min_search_chars = 3;
inline constexpr std::size_t max_search_chars = 200;

// The {id} of the path; throws the 404 for anything that is not a UUID.
std::string lead_id(const http::Request& request);

}  // namespace leadgate::handlers
