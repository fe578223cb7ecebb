#pragma once
// GET /healthz, /readyz, /metrics (SPEC §5) and the default /thanks page.

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

// 200 while the process runs, draining or not: liveness, not readiness.
void healthz(const http::Request& request, http::Responder respond);

// 200 when PostgreSQL answers and its schema is at least as new as this
// binary's migrations (a newer schema is fine during a rolling upgrade);
// 503 while draining, with the database down, or with the schema behind.
void readyz(const http::Lifecycle& lifecycle, store::OpsStore& ops, int expected_schema_version,
            http::Responder respond);

// In-process counters, then database gauges (skipped, with
// leadgate_database_up 0, when PostgreSQL does not answer).
void metrics(const metrics::Metrics& metrics, store::OpsStore& ops, http::Responder respond);

// A page of templates/pages/ with no data (/thanks and the like).
void static_page(Services& services, std::string_view name, http::Responder respond);

}  // namespace leadgate::handlers
