#include <thread>

#include "calendar/sync.hpp"
#include "calendar/write_back.hpp"

#include "commands/commands.hpp"
#include "handlers/ops.hpp"
#include "http/problem.hpp"
#include "http/server.hpp"
#include "log/log.hpp"
#include "mail/payloads.hpp"
#include "mail/templates.hpp"
#include "mail/transport.hpp"
#include "mail/webhook_sender.hpp"
#include "mail/worker.hpp"
#include "metrics/metrics.hpp"
#include "store/calendar_syncs.hpp"
#include "store/database.hpp"
#include "store/jobs.hpp"
#include "store/ops.hpp"
#include "store/queries.hpp"
#include "store/retention.hpp"
#include "store/search_index.hpp"

namespace leadgate::commands {

namespace {

mail::WorkerSettings worker_settings(const config::Config& config) {
  const auto& mail = config.mail;
  return mail::WorkerSettings{
      .worker_id = mail::new_worker_id(),
      .batch_size = mail.batch_size,
      .lease_seconds = mail.lease_seconds,
      .max_attempts = mail.max_attempts,
      .per_second = mail.per_second,
      .retry_base = std::chrono::seconds(mail.retry_base_seconds),
      .retry_max = std::chrono::seconds(mail.retry_max_seconds),
      .poll_interval = std::chrono::milliseconds(1000),
      .sender = mail::Sender{mail::parse_mailbox(mail.from), config.http.public_url},
      .routing = mail::SalesRouting{mail.sales_inbox, config.sales.assignees},
  };
}

}  // namespace

int worker(const config::Config& config) {
  const auto& url = require_database_url(config);
  auto queries = load_queries(config);
  auto templates = mail::EmailTemplates::load(config.paths.templates + "/email", mail::email_template_names());
  auto transport = mail::make_transport(
      config.mail.url, mail::SmtpOptions{std::chrono::seconds(config.mail.timeout_seconds), config.mail.ca_file});

  metrics::Metrics metrics(metrics::Role::worker);
  http::Lifecycle lifecycle;

  // /healthz and /metrics for probes and Prometheus; the same server code as
  // `serve`, so SIGTERM is handled the same way: it sets `draining`, which
  // also stops the loop below after its current message.
  store::Database database(url, 1, queries);
  store::PgOpsStore ops(database);
  http::Router router(
      [](const http::Request&, const domain::Error& error, http::ErrorStyle) { return http::problem_response(error); });
  router.add(http::Method::get, "/healthz", handlers::healthz);
  router.add(http::Method::get, "/metrics",
             [&](const http::Request&) { return handlers::metrics(metrics, ops); });
  http::ServerOptions options;
  options.host = config.worker.listen_host;
  options.port = config.worker.listen_port;
  options.threads = 1;
  options.config_key = "worker.listen";
  http::Server server(options, router, metrics, lifecycle);
  // Several workers may run on one host with one configuration.
  // The metrics port can belong to one of them only; the others send all
  // the same, and say where their metrics are not.
  try {
    server.listen();
  } catch (const std::exception& error) {
    log::warn("metrics_off", {{"key", "worker.listen"},
                              {"detail", error.what()},
                              {"effect", "this worker sends mail but serves no /metrics or /healthz"}});
  }

  // Three outbox lanes, each with its own connection (claims, LISTEN) and
  // loop: e-mails, paced to mail.per_second over one SMTP connection;
  // webhooks, which must not wait behind them (nor behind an SMTP outage);
  // and writes of booked meetings into the hosts' calendars (write_to),
  // which must not wait behind either, nor make them wait for a slow
  // calendar server.
  mail::WebhookSender webhooks(config.webhooks.targets, std::chrono::seconds(config.mail.timeout_seconds));
  calendar::WriteBack calendar_writes(config.booking.hosts, calendar::FetchLimits{});
  auto settings = worker_settings(config);
  store::JobQueue email_queue(url, queries);
  store::JobQueue webhook_queue(url, queries);
  store::JobQueue calendar_write_queue(url, queries);
  mail::Worker email_lane(settings, email_queue, *templates, *transport, webhooks, calendar_writes, metrics,
                          lifecycle.draining);
  settings.lane = "webhook";
  mail::Worker webhook_lane(settings, webhook_queue, *templates, *transport, webhooks, calendar_writes, metrics,
                            lifecycle.draining);
  settings.lane = "calendar";
  mail::Worker calendar_write_lane(settings, calendar_write_queue, *templates, *transport, webhooks, calendar_writes,
                                   metrics, lifecycle.draining);
  std::thread email_loop([&email_lane] { email_lane.run(); });
  std::thread webhook_loop([&webhook_lane] { webhook_lane.run(); });
  std::thread calendar_write_loop([&calendar_write_lane] { calendar_write_lane.run(); });
  // Another lane reads the hosts' calendars (when any are configured), with
  // a connection of its own: a slow calendar server delays no e-mail.
  store::CalendarSyncs calendar_store(url, queries);
  calendar::SyncLane calendar_lane(config, settings.worker_id, calendar_store, metrics, lifecycle.draining);
  std::thread calendar_loop([&calendar_lane] { calendar_lane.run(); });
  // And the daily retention purge (retention.*), also with a connection of
  // its own: its batches never hold up a send, nor wait for one.
  store::RetentionStore retention_store(url, queries);
  store::RetentionLane retention_lane(
      store::RetentionSettings{.worker_id = settings.worker_id,
                               .spam_days = config.retention.spam_days,
                               .lead_days = config.retention.lead_days},
      retention_store, lifecycle.draining);
  std::thread retention_loop([&retention_lane] { retention_lane.run(); });
  // And search indexing (store/search_index.hpp): new leads' text into
  // lead_search, in batches, off the form post's path.
  store::SearchIndexLane search_lane(url, queries, store::SearchIndexSettings{}, lifecycle.draining);
  std::thread search_loop([&search_lane] { search_lane.run(); });
  server.run();
  email_loop.join();
  webhook_loop.join();
  calendar_write_loop.join();
  calendar_loop.join();
  retention_loop.join();
  search_loop.join();
  database.stop();
  log::info("stopped");
  return 0;
}

}  // namespace leadgate::commands
