#pragma once
// Bearer tokens on every /v1/admin/* route (SPEC §3): 401 without a token or
// with one that is unknown or revoked, 403 when its role is not enough
// (admin may do all that sales may).

#include <functional>

#include "handlers/services.hpp"
#include "http/message.hpp"
#include "http/responder.hpp"
#include "store/tokens.hpp"

namespace leadgate::handlers {

// Runs `then` with the token's holder once the token checks out; otherwise
// answers the request itself. A domain::Error thrown by `then` (a bad
// parameter) becomes its problem+json. `then` runs on a database thread
// after the request may be gone: capture a copy of what it needs.
void with_actor(Services& services, const http::Request& request, store::Role needed, const http::Responder& respond,
                std::function<void(store::Actor)> then);

}  // namespace leadgate::handlers
