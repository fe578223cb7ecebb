#include "commands/commands.hpp"
#include "log/log.hpp"
#include "store/migrations.hpp"

namespace leadgate::commands {

int migrate(const config::Config& config) {
  const auto& url = require_database_url(config);
  auto migrations = store::load_migrations(config.paths.db + "/migrations");
  auto applied = store::migrate(url, migrations);
  log::info("migrated", {{"applied", applied}, {"schema_version", store::latest_version(migrations)}});
  return 0;
}

}  // namespace leadgate::commands
