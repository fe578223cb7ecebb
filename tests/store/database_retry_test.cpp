// The store's one retry helper (store::Database) against a real
// PostgreSQL (LEADGATE_TEST_PG_URL, which scripts/test provides): work that
// PostgreSQL aborts as a serialization failure or deadlock runs again, and
// a statement that is wrong does not.

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include <atomic>
#include <cstdlib>
#include <future>

#include "store/database.hpp"

namespace {

using namespace leadgate;

std::string test_database_url() {
  const char* url = std::getenv("LEADGATE_TEST_PG_URL");
  // A missing prerequisite fails: a skipped store test would pass vacuously in CI.
  if (url == nullptr || *url == '\0') ADD_FAILURE() << "LEADGATE_TEST_PG_URL is not set (scripts/test sets it)";
  return url ? url : "";
}

// Runs `work` through the pool and waits for its outcome.
store::Outcome<int> run(store::Database& database, std::function<int(pqxx::connection_base&)> work) {
  std::promise<store::Outcome<int>> outcome;
  database.run<int>(std::move(work), [&](store::Outcome<int> result) { outcome.set_value(std::move(result)); });
  return outcome.get_future().get();
}

class DatabaseRetry : public ::testing::Test {
 protected:
  store::Queries queries;
  store::Database database{test_database_url(), 1, queries};
};

TEST_F(DatabaseRetry, a_real_serialization_failure_is_run_again_until_it_commits) {
  // Two serializable transactions that read what the other writes: the
  // second to commit fails with 40001, as PostgreSQL decides it.
  pqxx::connection setup(test_database_url());
  pqxx::nontransaction(setup).exec("CREATE TABLE IF NOT EXISTS retry_probe (k int PRIMARY KEY, v int); "
                                   "TRUNCATE retry_probe; INSERT INTO retry_probe VALUES (1, 0), (2, 0)");
  pqxx::connection rival(test_database_url());
  std::atomic<int> attempts = 0;
  auto outcome = run(database, [&](pqxx::connection_base& connection) {
    pqxx::transaction<pqxx::serializable> mine(connection);
    int seen = mine.exec1("SELECT v FROM retry_probe WHERE k = 2")[0].as<int>();
    if (attempts++ == 0) {
      // The rival reads row 1 and writes row 2, after we read row 2.
      pqxx::transaction<pqxx::serializable> theirs(rival);
      theirs.exec1("SELECT v FROM retry_probe WHERE k = 1");
      theirs.exec0("UPDATE retry_probe SET v = v + 1 WHERE k = 2");
      theirs.commit();
    }
    mine.exec0("UPDATE retry_probe SET v = v + 10 WHERE k = 1");
    mine.commit();
    return seen;
  });
  ASSERT_TRUE(std::holds_alternative<int>(outcome)) << std::get<domain::Error>(outcome).log_detail();
  EXPECT_EQ(attempts.load(), 2);           // the first attempt failed, the second committed
  EXPECT_EQ(std::get<int>(outcome), 1);    // and saw the rival's write
  EXPECT_EQ(pqxx::nontransaction(setup).exec1("SELECT v FROM retry_probe WHERE k = 1")[0].as<int>(), 10);
}

TEST_F(DatabaseRetry, a_deadlock_on_every_attempt_ends_as_unavailable_after_a_few) {
  std::atomic<int> attempts = 0;
  auto outcome = run(database, [&](pqxx::connection_base&) -> int {
    ++attempts;
    throw pqxx::deadlock_detected("deadlock detected");
  });
  ASSERT_TRUE(std::holds_alternative<domain::Error>(outcome));
  EXPECT_EQ(std::get<domain::Error>(outcome).kind(), domain::ErrorKind::unavailable);
  EXPECT_EQ(attempts.load(), 4);
}

TEST_F(DatabaseRetry, a_wrong_statement_runs_once_and_is_internal) {
  std::atomic<int> attempts = 0;
  auto outcome = run(database, [&](pqxx::connection_base& connection) {
    ++attempts;
    pqxx::nontransaction(connection).exec("SELECT no_such_column FROM pg_class");
    return 0;
  });
  ASSERT_TRUE(std::holds_alternative<domain::Error>(outcome));
  EXPECT_EQ(std::get<domain::Error>(outcome).kind(), domain::ErrorKind::internal);
  EXPECT_EQ(attempts.load(), 1);
}

}  // namespace
