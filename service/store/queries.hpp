#pragma once
// Named SQL statements from db/queries/*.sql ("-- name: insert-estimate"
// headers), prepared by name on every connection. A "-- fragment: NAME"
// block is not a statement: a statement's "-- include: NAME" line is
// replaced by it (the one filter clause of a listing and its export).

#include <map>
#include <span>
#include <string>
#include <string_view>

namespace leadgate::store {

class Queries {
 public:
  // Reads every *.sql file of `directory`. Throws std::runtime_error for an
  // unreadable directory, a statement without a name or a duplicate name.
  static Queries load(const std::string& directory);

  // Throws std::runtime_error naming the first statement in `names` that no
  // file defines: a typo fails start-up, not the first request.
  void require(std::span<const std::string_view> names) const;

  const std::map<std::string, std::string, std::less<>>& all() const { return statements_; }

 private:
  std::map<std::string, std::string, std::less<>> statements_;
};

// Every statement the service runs; checked against the files at start-up.
std::span<const std::string_view> statements_in_use();

}  // namespace leadgate::store
