#include "handlers/api_description.hpp"

namespace leadgate::handlers {

// Readable from any origin: a documentation viewer or a client generator on
// another site may fetch it, and it holds nothing that is not public.
async::Task<http::Response> api_description(const http::Request&) {
  auto response = http::Response::json(200, std::string(api_description_json()));
  response.with_header("Access-Control-Allow-Origin", "*");
  co_return std::move(response.with_header("Cache-Control", "public, max-age=300"));
}

}  // namespace leadgate::handlers
