#pragma once
// Who is asking: a browser submitting a plain HTML form (JavaScript off)
// gets redirects and HTML pages; a script gets JSON.

#include "http/message.hpp"

namespace leadgate::http {

// True for a urlencoded POST whose Accept does not ask for JSON, and for a
// GET whose Accept asks for text/html (a browser following a link). A script
// posting URLSearchParams with `Accept: application/json` gets JSON.
bool wants_html(const Request& request);

}  // namespace leadgate::http
