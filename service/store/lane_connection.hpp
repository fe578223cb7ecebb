#pragma once
// A worker lane's own PostgreSQL connection (the retention purge, calendar
// syncs, search indexing): opened on first use, and again after it broke, so
// one lane's outage or slow statement never holds up another lane.

#include <pqxx/pqxx>

#include <memory>
#include <string>

#include "store/connect.hpp"
#include "store/queries.hpp"

namespace leadgate::store {

class LaneConnection {
 public:
  LaneConnection(std::string url, const Queries& queries) : url_(std::move(url)), queries_(queries) {}

  // Runs `use` on the connection; a broken one is dropped so that the next
  // call opens a fresh one, and the error goes to the caller. Nothing is run
  // again here: a transaction whose commit is in doubt is not repeated
  // blindly, the caller's next round goes on from what is there.
  template <typename Use>
  auto with(Use use) {
    if (connection_ && !connection_->is_open()) connection_.reset();
    if (!connection_) connection_ = open_connection(url_, queries_);
    try {
      return use(*connection_);
    } catch (const pqxx::broken_connection&) {
      connection_.reset();
      throw;
    }
  }

 private:
  std::string url_;
  const Queries& queries_;
  std::unique_ptr<pqxx::connection> connection_;
};

}  // namespace leadgate::store
