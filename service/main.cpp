// leadgate: one binary, many roles (SPEC §1). Parses the command line, loads
// the configuration and runs the chosen subcommand.

#include <CLI/CLI.hpp>

#include <iostream>

#include "commands/commands.hpp"
#include "config/config.hpp"
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

  try {
    if (serve->parsed()) return leadgate::commands::serve(config);
    if (migrate->parsed()) return leadgate::commands::migrate(config);
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
