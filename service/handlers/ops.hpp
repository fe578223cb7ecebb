#pragma once
// GET /healthz, /readyz, /metrics (docs/operations.md, "Ports and health")
// and the default /thanks page.

#include "async/task.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

// 200 while the process runs, draining or not: liveness, not readiness.
async::Task<http::Response> healthz(const http::Request& request);

// 200 when PostgreSQL answers and its schema is at least as new as this
// binary's migrations (a newer schema is fine during a rolling upgrade);
// 503 while draining, with the database down, or with the schema behind.
async::Task<http::Response> readyz(const http::Lifecycle& lifecycle, store::OpsStore& ops, int expected_schema_version);

// In-process counters, then database gauges (skipped, with
// leadgate_database_up 0, when PostgreSQL does not answer).
async::Task<http::Response> metrics(const metrics::Metrics& metrics, store::OpsStore& ops);

// A page of templates/pages/ with no data (/thanks and the like).
http::Response static_page(const Services& services, std::string_view name);

}  // namespace leadgate::handlers
