#pragma once
// Method + path → handler. Patterns are literal segments and `{name}`
// captures ("/v1/admin/leads/{id}"). An unknown path is 404; a known path
// with another method is 405 with Allow. HEAD is served by the GET handler.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "async/task.hpp"
#include "domain/error.hpp"
#include "http/message.hpp"
#include "http/policies.hpp"

namespace leadgate::http {

// A handler is a coroutine from the request to its response; it leaves by
// `co_return` or by throwing (a domain::Error for what the client did or
// what the service cannot do now), never by a callback.
using Handler = std::function<async::Task<Response>(const Request&)>;

// How a route's errors are answered: as the request asks (problem+json for
// scripts, an HTML page for a browser's form post), or always one way (the
// sales API speaks JSON; the pages behind e-mail links speak HTML).
enum class ErrorStyle { negotiated, json, html };

// Turns an error into the response this request should get.
using ErrorRenderer = std::function<Response(const Request&, const domain::Error&, ErrorStyle)>;

class Router {
 public:
  explicit Router(ErrorRenderer render_error) : render_error_(std::move(render_error)) {}

  // Applied to every response (CORS, security headers); preflights are
  // answered by the policies themselves.
  void use(ResponsePolicies policies) { policies_.emplace(std::move(policies)); }

  void add(Method method, std::string pattern, Handler handler, ErrorStyle errors = ErrorStyle::negotiated);

  // Sets request.route and request.path_params and runs the handler. The
  // one place where errors are caught, mapped and logged: a domain::Error
  // thrown by the handler becomes its rendered response (and its
  // log_detail, if any, a log line with the request id); any other
  // exception a 500 whose detail only the log sees. `request` must outlive
  // the task.
  async::Task<Response> dispatch(Request& request) const;

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
    ErrorStyle errors;
  };

  // The route for the request (setting its route and path parameters), or
  // the 404 or 405 thrown.
  const Route* find(Request& request) const;

  static bool match(const Route& route, const std::vector<std::string_view>& segments,
                    std::vector<std::pair<std::string, std::string>>& params);

  std::vector<Route> routes_;
  ErrorRenderer render_error_;
  std::optional<ResponsePolicies> policies_;
};

}  // namespace leadgate::http
