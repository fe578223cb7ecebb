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

void healthz(const http::Request&, http::Responder respond) {
  respond(http::Response::json(200, R"({"status":"ok"})"));
}

void readyz(const http::Lifecycle& lifecycle, store::OpsStore& ops, int expected, http::Responder respond) {
  if (lifecycle.draining.load()) {
    respond(not_ready("draining"));
    return;
  }
  ops.schema_version([respond, expected](store::Outcome<int> outcome) {
    if (std::holds_alternative<domain::Error>(outcome)) {
      respond(not_ready("database unavailable"));
      return;
    }
    int version = std::get<int>(outcome);
    if (version < expected) {
      respond(not_ready("database schema is behind; run leadgate migrate"));
      return;
    }
    respond(http::Response::json(200, nlohmann::json{{"status", "ready"}, {"schema_version", version}}.dump()));
  });
}

void metrics(const metrics::Metrics& metrics, store::OpsStore& ops, http::Responder respond) {
  auto text = metrics.render();
  ops.queue_stats([respond, text = std::move(text)](store::Outcome<store::QueueStats> outcome) {
    std::ostringstream out;
    out << text;
    out << "# HELP leadgate_database_up Whether PostgreSQL answered this scrape.\n"
           "# TYPE leadgate_database_up gauge\n";
    if (auto* stats = std::get_if<store::QueueStats>(&outcome)) {
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
    respond(http::Response::text(200, out.str(), "text/plain; version=0.0.4; charset=utf-8"));
  });
}

void static_page(Services& services, std::string_view name, http::Responder respond) {
  respond(http::Response::html(200, services.pages.render(name, nlohmann::json::object())));
}

}  // namespace leadgate::handlers
