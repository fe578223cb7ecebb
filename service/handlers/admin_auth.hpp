#pragma once
// Bearer tokens on every /v1/admin/* route (docs/sales-api.md, "Tokens"):
// 401 without a token or with one that is unknown or revoked, 403 when its
// role is not enough (admin may do all that sales may).

#include "async/task.hpp"
#include "handlers/services.hpp"
#include "http/message.hpp"
#include "store/tokens.hpp"

namespace leadgate::handlers {

// The token's holder. Throws 401 (with WWW-Authenticate) without a token or
// with one that is unknown or revoked, 403 when its role is not enough.
async::Task<store::Actor> authenticate(Services& services, const http::Request& request, store::Role needed);

}  // namespace leadgate::handlers
