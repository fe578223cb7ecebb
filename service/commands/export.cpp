#include <unistd.h>

#include <future>
#include <iostream>

#include "commands/commands.hpp"
#include "handlers/admin_leads.hpp"
#include "handlers/export_response.hpp"
#include "log/log.hpp"
#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/listing.hpp"
#include "store/queries.hpp"

namespace leadgate::commands {

namespace {

// Who ran it, for the audit log: the operating system's user.
std::string cli_actor() {
  const char* user = std::getenv("USER");
  return "cli:" + std::string(user != nullptr && *user != '\0' ? user : std::to_string(getuid()));
}

}  // namespace

int export_leads(const config::Config& config, const domain::LeadFilter& query, const std::string& format) {
  const auto& url = require_database_url(config);
  auto queries = load_queries(config);
  store::Database database(url, 1, queries);
  store::PgListing listing(database, queries, url);
  auto export_format = format == "json" ? store::ExportFormat::ndjson : store::ExportFormat::csv;
  auto stream = listing.export_leads(query, export_format);

  bool failed = false;
  while (true) {
    std::promise<std::pair<std::string, std::pair<bool, bool>>> next;
    stream->next([&next](std::string text, bool last, bool broken) {
      next.set_value({std::move(text), {last, broken}});
    });
    auto [text, state] = next.get_future().get();
    std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (state.second) failed = true;
    if (state.first) break;
  }
  std::cout.flush();

  auto details = handlers::export_audit_details("leads", handlers::described(query), export_format, stream->rows(), !failed);
  store::PgAuditLog(database).record(cli_actor(), "export", details.dump());
  database.stop();  // runs the queued audit entry first
  if (failed) {
    std::cerr << "leadgate: the export broke off; see the log\n";
    return 1;
  }
  return 0;
}

}  // namespace leadgate::commands
