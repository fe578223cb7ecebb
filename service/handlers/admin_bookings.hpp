#pragma once
// GET /v1/admin/bookings?when=upcoming|past&limit=&cursor=: role sales.
// Upcoming (the default) soonest first, past latest first.

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

async::Task<http::Response> list_bookings(Services& services, const http::Request& request);

}  // namespace leadgate::handlers
