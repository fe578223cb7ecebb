// leadgate: one binary, many roles (docs/operations.md, "Processes"). Parses
// the command line, loads the configuration and runs the chosen subcommand.

#include <CLI/CLI.hpp>
#include <curl/curl.h>
#include <sys/resource.h>

#include <iostream>
#include <span>
#include <vector>

#include "commands/commands.hpp"
#include "config/config.hpp"
#include "domain/slots.hpp"
#include "domain/text.hpp"
#include "handlers/admin_leads.hpp"
#include "log/log.hpp"

extern char** environ;

namespace {

constexpr int exit_startup_error = 2;

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"leadgate: the backend for an agency's estimate, booking and newsletter forms"};
  app.require_subcommand(1);
  std::string config_file = "config/leadgate.toml";
  auto* config_option = app.add_option("--config", config_file, "configuration file (TOML)");

  auto* serve = app.add_subcommand("serve", "serve the HTTP API (forms, sales, ops)");
  auto* migrate = app.add_subcommand("migrate", "apply database migrations, once, under a lock");
  auto* worker = app.add_subcommand("worker", "send queued e-mails (any number of workers may run)");

  auto* render = app.add_subcommand("render", "print an e-mail template rendered with JSON data");
  std::string template_name;
  std::string data_file;
  bool mime = false;
  render->add_option("template", template_name, "template name, e.g. estimate_confirmation")->required();
  render->add_option("--data", data_file, "JSON file with the template's data")->required();
  render->add_flag("--mime", mime, "print the whole message as it would be sent");

  auto* jobs = app.add_subcommand("jobs", "inspect and re-queue e-mail jobs");
  jobs->require_subcommand(1);
  auto* jobs_list = jobs->add_subcommand("list", "list jobs, newest first");
  std::optional<std::string> status;
  int limit = 100;
  jobs_list->add_option("--status", status, "queued, sent, dead or cancelled");
  jobs_list->add_option("--limit", limit, "how many")->check(CLI::Range(1, 100000));
  auto* jobs_retry = jobs->add_subcommand("retry", "send a dead job again (or all of them)");
  std::optional<std::int64_t> job_id;
  bool all_dead = false;
  auto* id_option = jobs_retry->add_option("id", job_id, "job id");
  auto* all_option = jobs_retry->add_flag("--all-dead", all_dead, "every dead job");
  id_option->excludes(all_option);
  jobs_retry->require_option(1);

  auto* export_command = app.add_subcommand("export", "write leads as CSV or NDJSON to stdout");
  leadgate::domain::LeadFilter lead_query;
  std::string export_format = "csv";
  // The same choices as the HTTP API's, from the same lists.
  const auto one_of = [](std::span<const std::string_view> choices) {
    return CLI::IsMember(std::vector<std::string>(choices.begin(), choices.end()));
  };
  export_command->add_option("--form", lead_query.form, "estimate or consultation")
      ->check(one_of(leadgate::handlers::lead_forms()));
  export_command->add_option("--status", lead_query.status, "new, contacted, qualified, won, lost or spam")
      ->check(one_of(leadgate::handlers::lead_statuses()));
  // A day that exists, as over HTTP: 2026-02-30 is refused here, not by PostgreSQL.
  const auto date = [](const std::string& text) {
    return leadgate::domain::parse_date(text) ? std::string() : std::string("expected a date, YYYY-MM-DD");
  };
  export_command->add_option("--from", lead_query.from, "created on or after (YYYY-MM-DD, UTC)")->check(date);
  export_command->add_option("--to", lead_query.to, "created on or before (YYYY-MM-DD, UTC)")->check(date);
  // As over HTTP: a shorter search would read every lead.
  export_command->add_option("--q", lead_query.q, "text in name, e-mail, company or message (3 characters or more)")
      ->check([](const std::string& text) {
        auto characters = leadgate::domain::count_characters(text);
        return characters >= leadgate::handlers::min_search_chars && characters <= leadgate::handlers::max_search_chars
                   ? std::string()
                   : "expected " + std::to_string(leadgate::handlers::min_search_chars) + " to " +
                         std::to_string(leadgate::handlers::max_search_chars) + " characters";
      });
  export_command->add_option("--format", export_format, "csv (default) or json (NDJSON)")
      ->check(CLI::IsMember({"csv", "json"}));

  auto* token = app.add_subcommand("token", "manage API tokens for the sales team and admins");
  token->require_subcommand(1);
  auto* token_create = token->add_subcommand("create", "make a token and print it (only this once)");
  std::string token_name;
  std::string token_role;
  token_create->add_option("--name", token_name, "who or what uses it, e.g. \"Ana (sales)\"")->required();
  token_create->add_option("--role", token_role, "sales or admin")->required()->check(CLI::IsMember({"sales", "admin"}));
  auto* token_list = token->add_subcommand("list", "list tokens (never their secret)");
  auto* token_revoke = token->add_subcommand("revoke", "revoke a token at once");
  std::int64_t token_id = 0;
  token_revoke->add_option("id", token_id, "the token's id, from token list")->required();

  auto* calendar = app.add_subcommand("calendar", "read the team's calendars as leadgate does");
  calendar->require_subcommand(1);
  auto* calendar_busy = calendar->add_subcommand("busy", "show the busy times leadgate reads from a calendar URL");
  std::string calendar_url;
  int calendar_days = 14;
  std::optional<std::string> calendar_etag;
  int calendar_timeout = 20;
  calendar_busy->add_option("url", calendar_url, "a CalDAV collection or an .ics/webcal feed; - reads it from stdin")
      ->required();
  calendar_busy->add_option("--days", calendar_days, "how far ahead from now (default 14)")->check(CLI::Range(1, 3660));
  calendar_busy->add_option("--if-none-match", calendar_etag, "a feed's ETag from an earlier fetch");
  calendar_busy->add_option("--timeout", calendar_timeout, "seconds for the whole request (default 20)")
      ->check(CLI::Range(1, 600));

  CLI11_PARSE(app, argc, argv);

  leadgate::config::Config config;
  try {
    // An explicit --config must exist; the default may be absent (defaults
    // and environment only, as in a container without a mounted file).
    config = leadgate::config::load(config_file, config_option->count() > 0, environ);
  } catch (const leadgate::config::ConfigError& error) {
    std::cerr << "leadgate: configuration error: " << error.what() << '\n';
    return exit_startup_error;
  }
  leadgate::log::init(config.log.level);
  // Every connection is a file descriptor: take all the operating system
  // allows (the soft limit is often 1024, far below http.max_connections).
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  // libcurl's global state, once, before any thread exists.
  curl_global_init(CURL_GLOBAL_DEFAULT);

  try {
    namespace commands = leadgate::commands;
    if (serve->parsed()) return commands::serve(config);
    if (migrate->parsed()) return commands::migrate(config);
    if (worker->parsed()) return commands::worker(config);
    if (render->parsed()) return commands::render(config, template_name, data_file, mime);
    if (jobs_list->parsed()) return commands::jobs_list(config, status, limit);
    if (jobs_retry->parsed()) return commands::jobs_retry(config, job_id);
    if (export_command->parsed()) return commands::export_leads(config, lead_query, export_format);
    if (token_create->parsed()) return commands::token_create(config, token_name, token_role);
    if (token_list->parsed()) return commands::token_list(config);
    if (token_revoke->parsed()) return commands::token_revoke(config, token_id);
    if (calendar_busy->parsed()) {
      return commands::calendar_busy(config, calendar_url, calendar_days, calendar_etag, calendar_timeout);
    }
  } catch (const leadgate::commands::StartupError& error) {
    std::cerr << "leadgate: " << error.what() << '\n';
    return exit_startup_error;
  } catch (const std::exception& error) {
    leadgate::log::error("fatal", {{"detail", error.what()}});
    std::cerr << "leadgate: " << error.what() << '\n';
    return 1;
  }
  return 1;
}
