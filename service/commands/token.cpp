#include <iostream>

#include "commands/commands.hpp"
#include "store/queries.hpp"
#include "store/tokens.hpp"

namespace leadgate::commands {

int token_create(const config::Config& config, const std::string& name, const std::string& role) {
  auto parsed = store::parse_role(role);
  if (!parsed) throw StartupError("--role must be sales or admin");
  if (name.empty() || name.size() > 200) throw StartupError("--name must be 1-200 characters");
  auto token = store::create_token(require_database_url(config), load_queries(config), name, *parsed);
  // The only time the token is shown: only its hash is stored.
  std::cout << token.token << '\n';
  std::cerr << "token " << token.id << " (" << role << ") created for \"" << name
            << "\"; copy it now, it cannot be shown again\n";
  return 0;
}

int token_list(const config::Config& config) {
  std::cout << "id\tname\trole\tcreated_at\tlast_used_at\trevoked\n";
  for (const auto& row : store::list_tokens(require_database_url(config), load_queries(config))) {
    std::cout << row.id << '\t' << row.name << '\t' << row.role << '\t' << row.created_at << '\t' << row.last_used_at
              << '\t' << (row.revoked ? "yes" : "no") << '\n';
  }
  return 0;
}

int token_revoke(const config::Config& config, std::int64_t id) {
  if (!store::revoke_token(require_database_url(config), load_queries(config), id)) {
    std::cerr << "leadgate: no active token " << id << '\n';
    return 1;
  }
  std::cout << "token " << id << " revoked\n";
  return 0;
}

}  // namespace leadgate::commands
