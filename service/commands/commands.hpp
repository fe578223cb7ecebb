#pragma once
// The subcommands of `leadgate`; each returns the process exit code.

#include <cstdint>
#include <optional>
#include <string>

#include "config/config.hpp"
#include "handlers/admin_leads.hpp"
#include "store/queries.hpp"

namespace leadgate::commands {

// Startup problems a command reports before running: exit code 2.
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

int serve(const config::Config& config);
int migrate(const config::Config& config);
int worker(const config::Config& config);

// Prints a template rendered with the JSON object in `data_file`: subject,
// text and HTML, or with `mime` the whole message as it would be sent.
int render(const config::Config& config, const std::string& name, const std::string& data_file, bool mime);

// `leadgate jobs list [--status S] [--limit N]`, `leadgate jobs retry ID|--all-dead`.
int jobs_list(const config::Config& config, const std::optional<std::string>& status, int limit);
int jobs_retry(const config::Config& config, std::optional<std::int64_t> id);

// `leadgate export [--form F] [--status S] [--from D] [--to D] [--q TEXT]
// [--format csv|json]`: the leads, as the HTTP export writes them, to stdout.
int export_leads(const config::Config& config, const domain::LeadFilter& query, const std::string& format);

// `leadgate token create --name N --role sales|admin` (prints the token
// once), `token list`, `token revoke ID`.
int token_create(const config::Config& config, const std::string& name, const std::string& role);
int token_list(const config::Config& config);
int token_revoke(const config::Config& config, std::int64_t id);

// `leadgate calendar busy URL [--days N] [--if-none-match ETAG] [--timeout S]`
// (URL "-": read from stdin): the busy times leadgate reads from a calendar
// over now to now + `days`, one JSON object per line, then a summary line.
// Exit 1 when the calendar cannot be fetched or read. No database.
int calendar_busy(const config::Config& config, std::string url, int days, const std::optional<std::string>& etag,
                  int timeout_seconds);

// database.url, or a StartupError naming the key.
const std::string& require_database_url(const config::Config& config);

// db/queries, checked to define every statement the service runs.
store::Queries load_queries(const config::Config& config);

}  // namespace leadgate::commands
