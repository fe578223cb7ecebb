#pragma once
// Applies db/migrations/NNNN_what.sql in order, each once and in its own
// transaction, under a PostgreSQL advisory lock so that any number of
// `leadgate migrate` runs at once are safe (the later ones find nothing to do).

#include <string>
#include <vector>

namespace leadgate::store {

struct Migration {
  int version = 0;
  std::string name;  // file name
  std::string sql;
  std::string checksum;  // SHA-256 of the file, to notice edited history
};

// Reads and orders the files. Throws std::runtime_error for a file name
// that is not NNNN_what.sql or a version used twice.
std::vector<Migration> load_migrations(const std::string& directory);

// The highest version among `migrations` (0 when empty).
int latest_version(const std::vector<Migration>& migrations);

// Returns the names of the migrations it applied. Throws when a migration
// fails (its transaction is rolled back; earlier ones stay), or when an
// applied migration's file has changed since.
std::vector<std::string> migrate(const std::string& database_url, const std::vector<Migration>& migrations);

}  // namespace leadgate::store
