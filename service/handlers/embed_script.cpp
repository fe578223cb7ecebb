#include "handlers/embed_script.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::string_view script_type = "text/javascript; charset=utf-8";

http::Response script(const Services& services, std::string cache_control) {
  auto response = http::Response::text(200, services.pages.embed_script(), std::string(script_type));
  response.with_header("Cache-Control", std::move(cache_control));
  response.with_header("ETag", "\"" + services.pages.embed_script_hash() + "\"");
  // Websites on other origins load it with <script src>, which needs no
  // CORS; the header lets them add integrity checks (crossorigin) too.
  response.with_header("Access-Control-Allow-Origin", "*");
  return response;
}

}  // namespace

void add_embed_script_routes(http::Router& router, Services& services) {
  router.add(http::Method::get, "/embed.js", [&services](const http::Request&) -> async::Task<http::Response> {
    co_return script(services, "public, max-age=300");
  });
  router.add(http::Method::get, "/assets/{file}", [&services](const http::Request& request) -> async::Task<http::Response> {
    if (request.path_param("file") != services.pages.embed_script_file()) {
      throw domain::Error(domain::ErrorKind::not_found,
                          "There is no such file; the embed script's current one is /embed.js.");
    }
    co_return script(services, "public, max-age=31536000, immutable");
  });
}

}  // namespace leadgate::handlers
