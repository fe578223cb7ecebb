#include "handlers/admin_jobs.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <charconv>

#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "http/problem.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::array<std::string_view, 4> job_statuses = {"queued", "sent", "dead", "cancelled"};

domain::Error no_such_job() {
  return domain::Error(domain::ErrorKind::not_found, "No dead or waiting job has this id.");
}

std::int64_t job_id(const http::Request& request) {
  auto text = request.path_param("id").value_or("");
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc{} || end != text.data() + text.size() || id < 1) throw no_such_job();
  return id;
}

nlohmann::json job_json(const store::JobRow& job) {
  return {{"id", job.id},
          {"status", job.status},
          {"template", job.template_name},
          {"recipient", job.recipient},
          {"attempts", job.attempts},
          {"run_at", job.run_at},
          {"last_error", job.last_error ? nlohmann::json(*job.last_error) : nlohmann::json(nullptr)}};
}

}  // namespace

async::Task<http::Response> list_jobs(Services& services, const http::Request& request) {
  co_await authenticate(services, request, store::Role::admin);
  AdminQuery query(request);
  auto limit = query.list().limit;
  auto status = query.choice("status", job_statuses);
  query.check();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& job : co_await services.jobs.list(status, limit)) items.push_back(job_json(job));
  co_return http::Response::json(200, nlohmann::json{{"items", items}}.dump());
}

async::Task<http::Response> retry_job(Services& services, const http::Request& request) {
  auto actor = co_await authenticate(services, request, store::Role::admin);
  auto id = job_id(request);
  if (!co_await services.jobs.retry(id)) throw no_such_job();
  services.audit.record(actor.name, "retry_job", nlohmann::json{{"job", id}}.dump());
  co_return http::Response::json(200, nlohmann::json{{"id", id}, {"status", "queued"}}.dump());
}

}  // namespace leadgate::handlers
