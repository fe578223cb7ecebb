#include "store/migrations.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>

#include "domain/digest.hpp"
#include "store/database.hpp"

namespace leadgate::store {

namespace {

// Any fixed number works; it only has to differ from other applications'
// advisory locks on the same database.
constexpr long long migration_lock_id = 0x6c65616467617465;  // "leadgate"

int parse_version(const std::string& file_name) {
  int version = 0;
  auto [end, error] = std::from_chars(file_name.data(), file_name.data() + file_name.size(), version);
  bool well_formed = error == std::errc{} && end == file_name.data() + 4 && file_name.size() > 9 &&
                     file_name[4] == '_' && file_name.ends_with(".sql") && version > 0;
  if (!well_formed) throw std::runtime_error("migration file " + file_name + " is not named NNNN_what.sql");
  return version;
}

}  // namespace

std::vector<Migration> load_migrations(const std::string& directory) {
  std::vector<Migration> migrations;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() != ".sql") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    Migration migration;
    migration.name = entry.path().filename().string();
    migration.version = parse_version(migration.name);
    migration.sql = content.str();
    migration.checksum = domain::sha256_hex(migration.sql);
    migrations.push_back(std::move(migration));
  }
  if (error) throw std::runtime_error("cannot read the migrations directory " + directory + ": " + error.message());
  std::sort(migrations.begin(), migrations.end(), [](auto& a, auto& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      throw std::runtime_error("two migrations have version " + std::to_string(migrations[i].version));
    }
  }
  return migrations;
}

int latest_version(const std::vector<Migration>& migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

std::vector<std::string> migrate(const std::string& database_url, const std::vector<Migration>& migrations) {
  pqxx::connection connection(with_connection_defaults(database_url));
  {
    pqxx::nontransaction session(connection);
    // A session lock: held across the per-migration transactions below and
    // released when this connection closes, even if we crash.
    session.exec_params("SELECT pg_advisory_lock($1)", migration_lock_id);
    session.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version integer PRIMARY KEY,"
        " name text NOT NULL,"
        " checksum text NOT NULL,"
        " applied_at timestamptz NOT NULL DEFAULT now())");
  }

  std::map<int, std::string> applied;
  {
    pqxx::nontransaction session(connection);
    for (const auto& row : session.exec("SELECT version, checksum FROM schema_migrations")) {
      applied.emplace(row[0].as<int>(), row[1].as<std::string>());
    }
  }

  std::vector<std::string> newly_applied;
  for (const auto& migration : migrations) {
    auto found = applied.find(migration.version);
    if (found != applied.end()) {
      if (found->second != migration.checksum) {
        throw std::runtime_error("migration " + migration.name +
                                 " was changed after it was applied; add a new migration instead");
      }
      continue;
    }
    pqxx::work transaction(connection);
    transaction.exec(migration.sql);
    transaction.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                            migration.version, migration.name, migration.checksum);
    transaction.commit();
    newly_applied.push_back(migration.name);
  }

  pqxx::nontransaction session(connection);
  session.exec_params("SELECT pg_advisory_unlock($1)", migration_lock_id);
  return newly_applied;
}

}  // namespace leadgate::store
