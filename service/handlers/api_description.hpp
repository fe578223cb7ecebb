#pragma once
// GET /v1/openapi.json: docs/openapi.yaml, converted to JSON when the binary
// is built (tools/openapi_json.py), so the server describes itself with the
// document it was built with.

#include <string_view>

#include "async/task.hpp"
#include "http/message.hpp"

namespace leadgate::handlers {

// The document as compact JSON (generated source).
std::string_view api_description_json();

async::Task<http::Response> api_description(const http::Request& request);

}  // namespace leadgate::handlers
