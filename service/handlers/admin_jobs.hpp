#pragma once
// The outbox for admins (dead jobs stay visible and can be queued again;
// docs/email-and-webhooks.md, "Retrying by hand"), role admin:
//   GET  /v1/admin/jobs?status=dead&limit=50   newest first
//   POST /v1/admin/jobs/{id}/retry             a dead (or waiting) job, sent again at once

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

async::Task<http::Response> list_jobs(Services& services, const http::Request& request);
async::Task<http::Response> retry_job(Services& services, const http::Request& request);

}  // namespace leadgate::handlers
