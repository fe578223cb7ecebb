#pragma once
// The script websites include to enhance their forms (docs/website.md):
//   GET /embed.js                the current version, cached for minutes, so a
//                                site that names it gets each release soon
//   GET /assets/embed-HASH.js    one version, cached for a year: leadgate's own
//                                pages name this one

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

void add_embed_script_routes(http::Router& router, Services& services);

}  // namespace leadgate::handlers
