#pragma once
// API tokens of the sales team and admins. A token is shown once, when it
// is made; the database keeps only its SHA-256.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/database.hpp"
#include "store/queries.hpp"

namespace leadgate::store {

enum class Role { sales, admin };

std::string_view to_string(Role role);
std::optional<Role> parse_role(std::string_view text);

struct Actor {
  std::string name;
  Role role = Role::sales;
};

struct TokenRow {
  std::int64_t id = 0;
  std::string name;
  std::string role;
  std::string created_at;
  std::string last_used_at;  // empty: never used
  bool revoked = false;
};

// For `leadgate token …`: each opens its own connection.
struct NewToken {
  std::int64_t id = 0;
  std::string token;  // "lg_" and 48 hex digits: 192 random bits
};
NewToken create_token(const std::string& url, const Queries& queries, const std::string& name, Role role);
std::vector<TokenRow> list_tokens(const std::string& url, const Queries& queries);
bool revoke_token(const std::string& url, const Queries& queries, std::int64_t id);

// For `serve`: who holds `token`, if anyone (not revoked). The stored hash
// is compared with the presented one in constant time.
class TokenStore {
 public:
  virtual ~TokenStore() = default;

  virtual async::Task<std::optional<Actor>> authenticate(std::string token) = 0;

  // Admin page sessions, kept on the server: `session_id` is the cookie's
  // random value (only its hash is stored). start_session signs in with
  // `token` (nothing if it is unknown or revoked); session finds the holder
  // while the session lasts and its token is not revoked.
  virtual async::Task<std::optional<Actor>> start_session(std::string token, std::string session_id,
                                                          std::chrono::seconds lifetime) = 0;
  virtual async::Task<std::optional<Actor>> session(std::string session_id) = 0;
  virtual async::Task<bool> end_session(std::string session_id) = 0;  // whether there was one
};

class PgTokenStore final : public TokenStore {
 public:
  explicit PgTokenStore(Database& database) : database_(database) {}

  async::Task<std::optional<Actor>> authenticate(std::string token) override;
  async::Task<std::optional<Actor>> start_session(std::string token, std::string session_id,
                                                  std::chrono::seconds lifetime) override;
  async::Task<std::optional<Actor>> session(std::string session_id) override;
  async::Task<bool> end_session(std::string session_id) override;

 private:
  Database& database_;
};

}  // namespace leadgate::store
