#include <thread>

#include "commands/commands.hpp"
#include "config/sales_assignees.hpp"
#include "handlers/admin_leads.hpp"
#include "handlers/error_pages.hpp"
#include "handlers/routes.hpp"
#include "handlers/services.hpp"
#include "handlers/webhook_targets.hpp"
#include "http/captcha.hpp"
#include "http/rspamd.hpp"
#include "domain/disposable_domains.hpp"
#include "http/outbound.hpp"
#include "http/problem.hpp"
#include "http/server.hpp"
#include "log/log.hpp"
#include "metrics/metrics.hpp"
#include "pages/pages.hpp"
#include "store/database.hpp"
#include "store/job_admin.hpp"
#include "store/lead_admin.hpp"
#include "store/stats.hpp"
#include "store/leads.hpp"
#include "store/migrations.hpp"
#include "store/audit.hpp"
#include "store/bookings.hpp"
#include "store/listing.hpp"
#include "store/ops.hpp"
#include "store/privacy.hpp"
#include "store/tokens.hpp"
#include "store/queries.hpp"
#include "store/subscribers.hpp"

namespace leadgate::commands {

namespace {

http::ServerOptions server_options(const config::Config& config) {
  const auto& http = config.http;
  int threads = http.threads > 0 ? http.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return http::ServerOptions{
      .host = http.listen_host,
      .port = http.listen_port,
      .max_body_bytes = http.max_body_bytes,
      .max_header_bytes = http.max_header_bytes,
      .read_timeout = std::chrono::seconds(http.read_timeout_seconds),
      .idle_timeout = std::chrono::seconds(http.idle_timeout_seconds),
      .max_connections = http.max_connections,
      .threads = threads,
      .drain_timeout = std::chrono::seconds(http.drain_seconds),
      .trusted_proxies = http.trusted_proxies,
  };
}

}  // namespace

store::Queries load_queries(const config::Config& config) {
  auto queries = store::Queries::load(config.paths.db + "/queries");
  queries.require(store::statements_in_use());
  return queries;
}

const std::string& require_database_url(const config::Config& config) {
  if (config.database.url.empty()) {
    throw StartupError("database.url: not set; set LEADGATE_DATABASE_URL to a PostgreSQL URL");
  }
  return config.database.url;
}

int serve(const config::Config& config) {
  const auto& url = require_database_url(config);
  // Everything that can be wrong on disk is found now, before listening.
  auto queries = load_queries(config);
  int expected_schema = store::latest_version(store::load_migrations(config.paths.db + "/migrations"));
  auto pages = pages::Pages::load(config.paths.templates + "/pages", handlers::required_pages());

  store::Database database(url, config.database.pool_size, queries);
  store::Notifier notifier(url, queries);
  store::LeadMail lead_mail{config.mail.sales_inbox, handlers::webhook_targets(config, "lead.created"),
                            config.limits.emails_per_recipient_per_day, config.forms.spam_threshold,
                            config::assignment_turns(config.sales)};
  store::PgLeadStore leads(database, notifier, lead_mail,
                        store::GroupCommit{static_cast<std::size_t>(config.database.batch_max_rows),
                                           std::chrono::microseconds(config.database.batch_linger_microseconds),
                                           config.database.batch_writers});
  store::PgLeadAdmin lead_admin(database, notifier, lead_mail);
  store::PgJobAdmin jobs(database);
  store::PgSubscriberStore subscribers(database, notifier);
  store::PgBookingStore bookings(database, notifier);
  store::PgListing listing(database, queries, url, config.exports.max_concurrent);
  store::PgTokenStore tokens(database);
  store::PgPrivacy privacy(database);
  store::PgAuditLog audit(database);
  store::PgOpsStore ops(database);
  store::PgStatsStore stats(database);
  metrics::Metrics metrics(metrics::Role::serve, handlers::lead_forms());
  http::Lifecycle lifecycle;
  http::RateLimiter rate_limiter(config.limits.per_minute, config.limits.burst);
  http::OutboundClient outbound;
  std::unique_ptr<http::CaptchaVerifier> captcha;
  if (config.forms.captcha != "off") {
    captcha = std::make_unique<http::CaptchaVerifier>(outbound, config.forms.captcha_verify_url,
                                                      config.forms.captcha_secret,
                                                      std::chrono::seconds(config.forms.captcha_timeout_seconds));
  }
  std::unique_ptr<http::RspamdClient> rspamd;
  if (!config.forms.rspamd_url.empty()) {
    rspamd = std::make_unique<http::RspamdClient>(outbound, config.forms.rspamd_url,
                                                  std::chrono::milliseconds(config.forms.rspamd_timeout_milliseconds),
                                                  config.mail.sales_inbox);
    metrics.expect_rspamd_checks();
  }
  auto disposable_domains = domain::DisposableDomains::load(config.forms.disposable_domains_file);
  handlers::ErrorPages errors(*pages);
  handlers::Services services{config, leads,   lead_admin, jobs, subscribers, bookings, listing,   tokens,
                              privacy, audit, ops,        *pages,      errors,   metrics,   lifecycle,
                              rate_limiter, captcha.get(), rspamd.get(), disposable_domains, expected_schema, stats};

  http::Router router([&errors](const http::Request& request, const domain::Error& error, http::ErrorStyle style) {
    return errors.render(request, error, style);
  });
  router.use(http::ResponsePolicies(config.http.allowed_origins, config.http.public_url));
  handlers::add_public_routes(router, services);

  // With http.ops_listen, /readyz (whose detail names the schema and the
  // database's state) and /metrics leave the public port for a listener of
  // their own, which only the cluster reaches.
  http::Router ops_router([](const http::Request&, const domain::Error& error, http::ErrorStyle) {
    return http::problem_response(error);
  });
  std::unique_ptr<http::Server> ops_server;
  if (config.http.ops_listen.empty()) {
    handlers::add_ops_routes(router, services);
  } else {
    handlers::add_ops_routes(ops_router, services);
    auto options = server_options(config);
    options.host = config.http.ops_listen_host;
    options.port = config.http.ops_listen_port;
    options.threads = 1;
    options.config_key = "http.ops_listen";
    ops_server = std::make_unique<http::Server>(options, ops_router, metrics, lifecycle);
    ops_server->listen();
  }

  http::Server server(server_options(config), router, metrics, lifecycle);
  server.listen();
  // Each server drains on SIGTERM by itself; the ops listener answers
  // probes until then.
  std::thread ops_thread;
  if (ops_server) ops_thread = std::thread([&ops_server] { ops_server->run(); });
  server.run();
  if (ops_thread.joinable()) ops_thread.join();
  // The database threads and outgoing calls may still be finishing work
  // whose answers go to the server's io_context: stop them before the
  // server is destroyed.
  outbound.stop();
  database.stop();
  notifier.stop();
  log::info("stopped");
  return 0;
}

}  // namespace leadgate::commands
