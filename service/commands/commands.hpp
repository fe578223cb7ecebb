#pragma once
// The subcommands of `leadgate`; each returns the process exit code.

#include "config/config.hpp"

namespace leadgate::commands {

// Startup problems a command reports before running: exit code 2.
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

int serve(const config::Config& config);
int migrate(const config::Config& config);

// database.url, or a StartupError naming the key.
const std::string& require_database_url(const config::Config& config);

}  // namespace leadgate::commands
