#pragma once
// Every route of `leadgate serve`, in one list a reader can scan.

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

void add_routes(http::Router& router, Services& services);

// Page templates the routes render; checked at start-up.
std::span<const std::string_view> required_pages();

}  // namespace leadgate::handlers
