#pragma once
// The audit log: who exported or erased what, or retried which job, and when
// (docs/sales-api.md, "Audit log").

#include <string>

#include "store/database.hpp"

namespace leadgate::store {

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // Writes one entry in the background; a failure is logged, not thrown:
  // the export it records has already been delivered.
  virtual void record(std::string actor, std::string action, std::string details_json) = 0;
};

class PgAuditLog final : public AuditLog {
 public:
  explicit PgAuditLog(Database& database) : database_(database) {}

  void record(std::string actor, std::string action, std::string details_json) override;

 private:
  Database& database_;
};

}  // namespace leadgate::store
