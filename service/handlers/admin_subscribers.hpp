#pragma once
// GET /v1/admin/subscribers and /v1/admin/subscribers/export.csv (SPEC §3):
// role sales or admin.

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

void list_subscribers(Services& services, const http::Request& request, const http::Responder& respond);
void export_subscribers(Services& services, const http::Request& request, const http::Responder& respond);

// {"items": [...], "next_cursor": "…" | null} from rows PostgreSQL built,
// or the problem.
std::string page_json(const store::Page& page);
http::Response page_response(const store::Outcome<store::Page>& outcome);

}  // namespace leadgate::handlers
