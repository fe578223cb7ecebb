#pragma once
// Method + path → handler. Patterns are literal segments and `{name}`
// captures ("/v1/admin/leads/{id}"). An unknown path is 404; a known path
// with another method is 405 with Allow. HEAD is served by the GET handler.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "http/message.hpp"
#include "http/policies.hpp"
#include "http/responder.hpp"

namespace leadgate::http {

using Handler = std::function<void(const Request&, Responder)>;

// Turns an error into the response this request should get (problem+json for
// API clients, an HTML page for a browser form post).
using ErrorRenderer = std::function<Response(const Request&, const domain::Error&)>;

class Router {
 public:
  explicit Router(ErrorRenderer render_error) : render_error_(std::move(render_error)) {}

  // Applied to every response (CORS, security headers); preflights are
  // answered by the policies themselves.
  void use(ResponsePolicies policies) { policies_.emplace(std::move(policies)); }

  void add(Method method, std::string pattern, Handler handler);

  // Sets request.route and request.path_params and runs the handler. A
  // domain::Error thrown by the handler becomes its rendered response; any
  // other exception a 500 whose detail only the log sees.
  void dispatch(Request& request, const Responder& respond) const;

  // The answer to a request refused before it reached a route (too large,
  // not valid HTTP): rendered as a handler's error would be, and with the
  // same policies, so a website's fetch can read it (CORS) and a form post
  // gets a page.
  Response refusal(const Request& request, const domain::Error& error) const;

  // Every pattern, for metrics labels.
  std::vector<std::string> patterns() const;

 private:
  struct Route {
    Method method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };

  static bool match(const Route& route, const std::vector<std::string_view>& segments,
                    std::vector<std::pair<std::string, std::string>>& params);

  std::vector<Route> routes_;
  ErrorRenderer render_error_;
  std::optional<ResponsePolicies> policies_;
};

}  // namespace leadgate::http
