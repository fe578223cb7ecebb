#include "http/router.hpp"

#include <algorithm>

#include "log/log.hpp"

namespace leadgate::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash);
  }
  return segments;
}

bool is_capture(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

void Router::add(Method method, std::string pattern, Handler handler) {
  std::vector<std::string> segments;
  for (auto segment : split_path(pattern)) segments.emplace_back(segment);
  routes_.push_back(Route{method, std::move(pattern), std::move(segments), std::move(handler)});
}

bool Router::match(const Route& route, const std::vector<std::string_view>& segments,
                   std::vector<std::pair<std::string, std::string>>& params) {
  if (route.segments.size() != segments.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& expected = route.segments[i];
    if (is_capture(expected)) {
      params.emplace_back(expected.substr(1, expected.size() - 2), std::string(segments[i]));
    } else if (expected != segments[i]) {
      return false;
    }
  }
  return true;
}

Response Router::refusal(const Request& request, const domain::Error& error) const {
  auto response = render_error_(request, error);
  if (policies_) policies_->apply(policies_->context(request), response);
  return response;
}

void Router::dispatch(Request& request, const Responder& outer) const {
  if (policies_ && policies_->is_preflight(request)) {
    request.route = "preflight";
    return outer(policies_->preflight(request));
  }
  // Each response passes the policies on its way out (a handler may answer
  // after the session let go of the request: they keep what they need).
  Responder respond = outer;
  if (policies_) {
    respond = Responder([policies = &*policies_, outer, context = policies_->context(request)](Response response) {
      policies->apply(context, response);
      outer(std::move(response));
    });
  }
  auto segments = split_path(request.path());
  // A trailing slash names a different resource ("/admin/" is a page,
  // "/v1/forms/estimate/" is not an endpoint): compare it too.
  bool trailing_slash = request.path().size() > 1 && request.path().back() == '/';
  std::vector<std::pair<std::string, std::string>> params;
  const Route* found = nullptr;
  std::vector<Method> allowed;
  for (const auto& route : routes_) {
    bool route_trailing = route.pattern.size() > 1 && route.pattern.back() == '/';
    if (route_trailing != trailing_slash || !match(route, segments, params)) continue;
    allowed.push_back(route.method);
    bool serves = route.method == request.method || (request.method == Method::head && route.method == Method::get);
    if (serves && found == nullptr) {
      found = &route;
      request.path_params = params;
    }
  }
  try {
    if (found == nullptr) {
      if (allowed.empty()) {
        request.route = "unmatched";
        throw domain::Error(domain::ErrorKind::not_found, "There is nothing at this address.");
      }
      request.route = "unmatched";
      std::string allow;
      if (std::find(allowed.begin(), allowed.end(), Method::get) != allowed.end()) allowed.push_back(Method::head);
      for (auto method : allowed) {
        if (!allow.empty()) allow += ", ";
        allow += to_string(method);
      }
      throw std::move(domain::Error(domain::ErrorKind::method_not_allowed, "This method is not allowed here.")
                          .with_header("Allow", allow));
    }
    request.route = found->pattern;
    found->handler(request, respond);
  } catch (const domain::Error& error) {
    if (!error.log_detail().empty()) log::warn("request_failed", {{"route", request.route}, {"detail", error.log_detail()}});
    respond(render_error_(request, error));
  } catch (const std::exception& error) {
    log::error("handler_exception", {{"route", request.route}, {"detail", error.what()}});
    respond(render_error_(request, domain::Error(domain::ErrorKind::internal, "An unexpected error occurred.")));
  } catch (...) {
    log::error("handler_exception", {{"route", request.route}, {"detail", "not a std::exception"}});
    respond(render_error_(request, domain::Error(domain::ErrorKind::internal, "An unexpected error occurred.")));
  }
}

std::vector<std::string> Router::patterns() const {
  std::vector<std::string> names;
  for (const auto& route : routes_) {
    if (std::find(names.begin(), names.end(), route.pattern) == names.end()) names.push_back(route.pattern);
  }
  names.push_back("unmatched");
  return names;
}

}  // namespace leadgate::http
