#pragma once
// The audit log: who exported or erased what, and when (SPEC §3).

#include <string>

#include "store/database.hpp"

namespace leadgate::store {

class AuditLog {
 public:
  explicit AuditLog(Database& database) : database_(database) {}

  // Writes one entry in the background; a failure is logged, not thrown:
  // the export it records has already been delivered.
  void record(std::string actor, std::string action, std::string details_json);

 private:
  Database& database_;
};

}  // namespace leadgate::store
