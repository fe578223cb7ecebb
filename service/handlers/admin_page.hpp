#pragma once
// The sales team's web page, GET /admin/ (docs/sales-api.md, "Admin page"):
// server-rendered from templates/pages/admin_*.html.mustache, no build step,
// no script needed. Sign-in with an API token starts a server-side session;
// its id is kept in a cookie that is HttpOnly, SameSite=Strict and Secure
// when served over TLS; every form that changes something carries a CSRF
// token derived from the session.

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

void add_admin_page_routes(http::Router& router, Services& services);

}  // namespace leadgate::handlers
