// A request target through the Router (literal and {id} routes, every
// method), then its query through http::query_value and a cursor through
// domain::decode_cursor. Input: the first byte picks the method ('0'..'7' =
// GET HEAD POST PUT PATCH DELETE OPTIONS other), the rest is the target.
// Every request gets exactly one response; a capture is one non-empty path
// segment; a cursor that decodes encodes back to the same key.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "check.hpp"
#include "domain/page_cursor.hpp"
#include "http/query.hpp"
#include "http/router.hpp"

namespace {

using namespace leadgate;
using http::Method;

void check_cursor(std::string_view text) {
  auto cursor = domain::decode_cursor(text);
  if (!cursor) return;
  FUZZ_CHECK(cursor->created_at_micros >= 0 && !cursor->id.empty());
  auto again = domain::decode_cursor(domain::encode_cursor(*cursor));
  FUZZ_CHECK(again && again->created_at_micros == cursor->created_at_micros && again->id == cursor->id);
}

// A handler that checks its captures, then answers.
http::Handler expecting(std::size_t captures) {
  return [captures](const http::Request& request) -> async::Task<http::Response> {
    FUZZ_CHECK(request.path_params.size() == captures);
    for (const auto& [name, value] : request.path_params) {
      FUZZ_CHECK(!value.empty() && value.find('/') == std::string::npos);
      FUZZ_CHECK(request.path_param(name).has_value());
    }
    co_return http::Response::text(200, request.route);
  };
}

const http::Router& router() {
  static const http::Router instance = [] {
    http::Router r([](const http::Request&, const domain::Error& error, http::ErrorStyle) {
      return http::Response::text(400, error.detail());
    });
    r.add(Method::post, "/v1/forms/estimate", expecting(0));
    r.add(Method::get, "/v1/newsletter/confirm", expecting(0));
    r.add(Method::post, "/v1/newsletter/confirm", expecting(0));
    r.add(Method::get, "/v1/admin/leads", expecting(0));
    r.add(Method::get, "/v1/admin/leads/export.csv", expecting(0));
    r.add(Method::get, "/v1/admin/leads/{id}", expecting(1));
    r.add(Method::patch, "/v1/admin/leads/{id}", expecting(1));
    r.add(Method::delete_, "/v1/admin/leads/{id}/notes/{note}", expecting(2));
    r.add(Method::get, "/admin/", expecting(0));
    r.add(Method::get, "/", expecting(0));
    return r;
  }();
  return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  http::Request request;
  request.method = static_cast<Method>(static_cast<std::uint8_t>(data[0] - '0') % 8);
  request.target.assign(reinterpret_cast<const char*>(data) + 1, size - 1);

  int responses = 0;
  async::start(router().dispatch(request), [](std::function<void()> next) { next(); },
               [&responses](std::optional<http::Response> response, std::exception_ptr) {
                 if (response) ++responses;
               });
  FUZZ_CHECK(responses == 1);
  FUZZ_CHECK(!request.route.empty());

  for (std::string_view name : {"cursor", "limit", "", "q"}) {
    if (auto value = http::query_value(request.query(), name)) check_cursor(*value);
  }
  check_cursor(request.target);
  return 0;
}
