#pragma once
// Instants as the queries pass them: whole seconds since the Unix epoch
// (to_timestamp($n), extract(epoch FROM …)::bigint).

#include <chrono>
#include <cstdint>

namespace leadgate::store {

inline std::int64_t epoch_seconds(std::chrono::sys_seconds t) { return t.time_since_epoch().count(); }

inline std::chrono::sys_seconds from_epoch_seconds(std::int64_t seconds) {
  return std::chrono::sys_seconds(std::chrono::seconds(seconds));
}

}  // namespace leadgate::store
