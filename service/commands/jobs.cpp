#include <algorithm>
#include <iostream>

#include "commands/commands.hpp"
#include "store/jobs.hpp"
#include "store/queries.hpp"

namespace leadgate::commands {

int jobs_list(const config::Config& config, const std::optional<std::string>& status, int limit) {
  static constexpr std::string_view statuses[] = {"queued", "sent", "dead", "cancelled"};
  if (status && std::find(std::begin(statuses), std::end(statuses), *status) == std::end(statuses)) {
    throw StartupError("--status must be queued, sent, dead or cancelled");
  }
  auto queries = load_queries(config);
  store::JobQueue queue(require_database_url(config), queries);
  std::cout << "id\tstatus\ttemplate\trecipient\tattempts\trun_at\tlast_error\n";
  for (const auto& job : queue.list(status, limit)) {
    std::cout << job.id << '\t' << job.status << '\t' << job.template_name << '\t' << job.recipient << '\t'
              << job.attempts << '\t' << job.run_at << '\t' << job.last_error.value_or("") << '\n';
  }
  return 0;
}

int jobs_retry(const config::Config& config, std::optional<std::int64_t> id) {
  auto queries = load_queries(config);
  store::JobQueue queue(require_database_url(config), queries);
  auto queued = id ? queue.retry(*id) : queue.retry_all_dead();
  if (id && queued.empty()) {
    std::cerr << "leadgate: job " << *id << " is not dead, not waiting after a failed attempt, or does not exist\n";
    return 1;
  }
  std::cout << "queued " << queued.size() << (queued.size() == 1 ? " job" : " jobs") << '\n';
  return 0;
}

}  // namespace leadgate::commands
