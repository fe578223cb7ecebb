#include "store/tokens.hpp"

#include <openssl/crypto.h>
#include <pqxx/pqxx>

#include "domain/digest.hpp"
#include "domain/ids.hpp"
#include "store/connect.hpp"

namespace leadgate::store {

namespace {

// The token commands run once and exit: a connection each is fine.
std::unique_ptr<pqxx::connection> open(const std::string& url, const Queries& queries) {
  return open_connection(url, queries);
}

}  // namespace

std::string_view to_string(Role role) { return role == Role::admin ? "admin" : "sales"; }

std::optional<Role> parse_role(std::string_view text) {
  if (text == "sales") return Role::sales;
  if (text == "admin") return Role::admin;
  return std::nullopt;
}

NewToken create_token(const std::string& url, const Queries& queries, const std::string& name, Role role) {
  auto connection = open(url, queries);
  pqxx::nontransaction statement(*connection);
  NewToken token;
  token.token = "lg_" + domain::random_hex(24);
  token.id = statement.exec_prepared1("insert-api-token", name, std::string(to_string(role)),
                                      domain::sha256_hex(token.token))[0]
                 .as<std::int64_t>();
  return token;
}

std::vector<TokenRow> list_tokens(const std::string& url, const Queries& queries) {
  auto connection = open(url, queries);
  pqxx::nontransaction statement(*connection);
  std::vector<TokenRow> rows;
  for (const auto& row : statement.exec_prepared("list-api-tokens")) {
    rows.push_back(TokenRow{row[0].as<std::int64_t>(), row[1].as<std::string>(), row[2].as<std::string>(),
                            row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<bool>()});
  }
  return rows;
}

bool revoke_token(const std::string& url, const Queries& queries, std::int64_t id) {
  auto connection = open(url, queries);
  pqxx::nontransaction statement(*connection);
  return !statement.exec_prepared("revoke-api-token", id).empty();
}

async::Task<std::optional<Actor>> PgTokenStore::authenticate(std::string token) {
  return database_.run<std::optional<Actor>>(
      [token = std::move(token)](pqxx::connection_base& connection) -> std::optional<Actor> {
        auto hash = domain::sha256_hex(token);
        pqxx::nontransaction statement(connection);
        auto rows = statement.exec_prepared("find-api-token", hash);
        if (rows.empty()) return std::nullopt;
        auto stored = rows[0][2].as<std::string>();
        if (stored.size() != hash.size() || CRYPTO_memcmp(stored.data(), hash.data(), hash.size()) != 0) {
          return std::nullopt;
        }
        auto role = parse_role(rows[0][1].as<std::string>());
        if (!role) return std::nullopt;
        return Actor{rows[0][0].as<std::string>(), *role};
      });
}

namespace {

// (name, role) rows as the actor they name; nothing for none.
std::optional<Actor> actor_of(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  auto role = parse_role(rows[0][1].as<std::string>());
  if (!role) return std::nullopt;
  return Actor{rows[0][0].as<std::string>(), *role};
}

}  // namespace

async::Task<std::optional<Actor>> PgTokenStore::start_session(std::string token, std::string session_id,
                                                              std::chrono::seconds lifetime) {
  return database_.run<std::optional<Actor>>(
      [token = std::move(token), session_id = std::move(session_id), lifetime](pqxx::connection_base& connection) {
        pqxx::nontransaction statement(connection);
        return actor_of(statement.exec_prepared("start-admin-session", domain::sha256_hex(session_id),
                                                domain::sha256_hex(token), static_cast<long>(lifetime.count())));
      });
}

async::Task<std::optional<Actor>> PgTokenStore::session(std::string session_id) {
  return database_.run<std::optional<Actor>>([session_id = std::move(session_id)](pqxx::connection_base& connection) {
    pqxx::nontransaction statement(connection);
    return actor_of(statement.exec_prepared("find-admin-session", domain::sha256_hex(session_id)));
  });
}

// Not a coroutine itself, like every store call here: GCC 12 destroys a
// lambda's by-move capture of a coroutine parameter twice when the lambda is
// built inside a co_await (a double free ASan caught in this function).
async::Task<bool> PgTokenStore::end_session(std::string session_id) {
  return database_.run<bool>([session_id = std::move(session_id)](pqxx::connection_base& connection) {
    pqxx::nontransaction statement(connection);
    return statement.exec_prepared("end-admin-session", domain::sha256_hex(session_id)).affected_rows() > 0;
  });
}

}  // namespace leadgate::store
