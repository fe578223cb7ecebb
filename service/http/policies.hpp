#pragma once
// What every response gets whatever its handler: CORS for the public
// endpoints (http.allowed_origins, exact match) and, on HTML pages, the
// security headers that keep them from being framed or running foreign code.

#include <optional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace leadgate::http {

class ResponsePolicies {
 public:
  // `public_url` is allowed as a form target besides the page's own origin.
  ResponsePolicies(std::vector<std::string> allowed_origins, std::string public_url);

  // A CORS preflight (OPTIONS on a public endpoint) gets its answer here;
  // other origins get one without CORS headers, which browsers refuse.
  bool is_preflight(const Request& request) const;
  Response preflight(const Request& request) const;

  // What apply() needs of a request, small enough to keep until the answer.
  struct Context {
    bool public_endpoint = false;
    std::optional<std::string> origin;
  };
  Context context(const Request& request) const;

  void apply(const Context& context, Response& response) const;

 private:
  bool is_public(const Request& request) const;
  bool allowed(std::string_view origin) const;

  std::vector<std::string> allowed_origins_;
  std::string content_security_policy_;
};

}  // namespace leadgate::http
