#include "store/sql_failure.hpp"

#include <string_view>

namespace leadgate::store {

namespace {

// libpqxx 6.4 does not expose PG_DIAG_CONSTRAINT_NAME, so the name is read
// from the server's message (`… violates unique constraint "leads_pkey"`),
// here and nowhere else. Server messages are English unless lc_messages is
// changed; an unreadable name is empty, and callers treat it as "not ours".
std::string quoted_constraint(std::string_view message) {
  constexpr std::string_view marker = "constraint \"";
  auto start = message.find(marker);
  if (start == std::string_view::npos) return {};
  start += marker.size();
  auto end = message.find('"', start);
  if (end == std::string_view::npos) return {};
  return std::string(message.substr(start, end - start));
}

}  // namespace

SqlFailure classify(const pqxx::failure& failure) {
  if (dynamic_cast<const pqxx::serialization_failure*>(&failure) != nullptr ||
      dynamic_cast<const pqxx::deadlock_detected*>(&failure) != nullptr) {
    return {SqlFailureKind::retryable, {}, {}};
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&failure) != nullptr) return {SqlFailureKind::unreachable, {}, {}};
  const auto* error = dynamic_cast<const pqxx::sql_error*>(&failure);
  // in_doubt_error, statement_completion_unknown: whether it happened is unknown.
  if (error == nullptr) return {SqlFailureKind::in_doubt, {}, {}};
  const std::string& state = error->sqlstate();
  if (means_unreachable(state)) return {SqlFailureKind::unreachable, {}, state};
  if (state == "40001" || state == "40P01") return {SqlFailureKind::retryable, {}, state};
  if (state == "23505") return {SqlFailureKind::unique, quoted_constraint(error->what()), state};
  if (state == "23P01") return {SqlFailureKind::exclusion, quoted_constraint(error->what()), state};
  return {SqlFailureKind::other, {}, state};
}

bool means_unreachable(const std::string& sqlstate) {
  return sqlstate.empty() || sqlstate.starts_with("08") || sqlstate.starts_with("57P") || sqlstate == "53300";
}

}  // namespace leadgate::store
