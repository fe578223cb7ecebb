#pragma once
// Opening a connection of our own (store-internal): our connection defaults,
// and every named statement prepared.

#include <pqxx/connection>

#include <memory>
#include <string>

#include "store/queries.hpp"

namespace leadgate::store {

// Throws pqxx::broken_connection when PostgreSQL cannot be reached.
std::unique_ptr<pqxx::connection> open_connection(const std::string& url, const Queries& queries);

}  // namespace leadgate::store
