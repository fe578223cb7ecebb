#include "store/connect.hpp"

#include "store/database.hpp"

namespace leadgate::store {

std::unique_ptr<pqxx::connection> open_connection(const std::string& url, const Queries& queries) {
  auto connection = std::make_unique<pqxx::connection>(with_connection_defaults(url));
  for (const auto& [name, sql] : queries.all()) connection->prepare(name, sql);
  return connection;
}

}  // namespace leadgate::store
