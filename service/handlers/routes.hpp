#pragma once
// Every route of `leadgate serve`, in one list a reader can scan.

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

void add_routes(http::Router& router, Services& services);

// The same in two parts, for http.ops_listen: what the public port serves
// (forms, pages, the sales API, /healthz), and what operations read
// (/healthz, /readyz with its detail, /metrics).
void add_public_routes(http::Router& router, Services& services);
void add_ops_routes(http::Router& router, Services& services);

// Page templates the routes render; checked at start-up.
std::span<const std::string_view> required_pages();

}  // namespace leadgate::handlers
