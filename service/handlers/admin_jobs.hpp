#pragma once
// The outbox for admins (SPEC §4: dead jobs visible to `admin`,
// re-queueable), role admin:
//   GET  /v1/admin/jobs?status=dead&limit=50   newest first
//   POST /v1/admin/jobs/{id}/retry             a dead (or waiting) job, sent again at once

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

async::Task<http::Response> list_jobs(Services& services, const http::Request& request);
async::Task<http::Response> retry_job(Services& services, const http::Request& request);

}  // namespace leadgate::handlers
