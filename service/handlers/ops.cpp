#include "handlers/ops.hpp"

#include <nlohmann/json.hpp>

#include <sstream>

namespace leadgate::handlers {

namespace {

http::Response not_ready(std::string_view reason) {
  auto response = http::Response::json(503, nlohmann::json{{"status", "not_ready"}, {"reason", reason}}.dump());
  response.with_header("Retry-After", "5");
  return response;
}

}  // namespace

async::Task<http::Response> healthz(const http::Request&) { co_return http::Response::json(200, R"({"status":"ok"})"); }

async::Task<http::Response> readyz(const http::Lifecycle& lifecycle, store::OpsStore& ops, int expected) {
  if (lifecycle.draining.load()) co_return not_ready("draining");
  int version = 0;
  try {
    version = co_await ops.schema_version();
  } catch (const domain::Error&) {
    co_return not_ready("database unavailable");
  }
  if (version < expected) co_return not_ready("database schema is behind; run leadgate migrate");
  co_return http::Response::json(200, nlohmann::json{{"status", "ready"}, {"schema_version", version}}.dump());
}

async::Task<http::Response> metrics(const metrics::Metrics& metrics, store::OpsStore& ops) {
  std::ostringstream out;
  out << metrics.render();
  std::optional<store::QueueStats> stats;
  try {
    stats = co_await ops.queue_stats();
  } catch (const domain::Error&) {
    // Reported below as leadgate_database_up 0: a scrape still gets the
    // process's own counters.
  }
  out << "# HELP leadgate_database_up Whether PostgreSQL answered this scrape.\n"
         "# TYPE leadgate_database_up gauge\n";
  if (stats) {
    out << "leadgate_database_up 1\n"
           "# HELP leadgate_jobs Outbox jobs (e-mails, webhooks) waiting to be sent, and given up on.\n"
           "# TYPE leadgate_jobs gauge\n"
        << "leadgate_jobs{status=\"queued\"} " << stats->queued << '\n'
        << "leadgate_jobs{status=\"dead\"} " << stats->dead << '\n'
        << "# HELP leadgate_jobs_oldest_due_seconds Age of the oldest due, unsent job.\n"
           "# TYPE leadgate_jobs_oldest_due_seconds gauge\n"
        << "leadgate_jobs_oldest_due_seconds " << stats->oldest_due_seconds << '\n';
  } else {
    out << "leadgate_database_up 0\n";
  }
  co_return http::Response::text(200, out.str(), "text/plain; version=0.0.4; charset=utf-8");
}

http::Response static_page(const Services& services, std::string_view name) {
  return http::Response::html(200, services.pages.render(name, nlohmann::json::object()));
}

}  // namespace leadgate::handlers
