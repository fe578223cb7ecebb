#include "http/router.hpp"

#include <algorithm>
#include <optional>

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

void Router::add(Method method, std::string pattern, Handler handler, ErrorStyle errors) {
  std::vector<std::string> segments;
  for (auto segment : split_path(pattern)) segments.emplace_back(segment);
  routes_.push_back(Route{method, std::move(pattern), std::move(segments), std::move(handler), errors});
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
  auto response = render_error_(request, error, ErrorStyle::negotiated);
  if (policies_) policies_->apply(policies_->context(request), response);
  return response;
}

namespace {

// What a failure tells the log: the client's side is in the response.
void log_failure(const Request& request, const domain::Error& error) {
  if (error.log_detail().empty() && error.kind() != domain::ErrorKind::internal) return;
  log::Fields fields{{"request_id", request.id}, {"route", request.route}, {"detail", error.log_detail()}};
  bool server_side = error.kind() == domain::ErrorKind::internal || error.kind() == domain::ErrorKind::unavailable;
  if (server_side) {
    log::error("request_failed", fields);
  } else {
    log::warn("request_failed", fields);
  }
}

}  // namespace

const Router::Route* Router::find(Request& request) const {
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
  if (found != nullptr) {
    request.route = found->pattern;
    return found;
  }
  request.route = "unmatched";
  if (allowed.empty()) throw domain::Error(domain::ErrorKind::not_found, "There is nothing at this address.");
  std::string allow;
  if (std::find(allowed.begin(), allowed.end(), Method::get) != allowed.end()) allowed.push_back(Method::head);
  for (auto method : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += to_string(method);
  }
  throw std::move(
      domain::Error(domain::ErrorKind::method_not_allowed, "This method is not allowed here.").with_header("Allow", allow));
}

async::Task<Response> Router::dispatch(Request& request) const {
  if (policies_ && policies_->is_preflight(request)) {
    request.route = "preflight";
    co_return policies_->preflight(request);
  }
  // Kept now: a handler may change nothing of the request, but the
  // policies must see it as it came.
  std::optional<ResponsePolicies::Context> context;
  if (policies_) context = policies_->context(request);
  std::optional<Response> response;
  const Route* route = nullptr;
  // Rendered where it is caught: the error may be a subclass that carries
  // more for its page (handlers::FormRefusal), which a copy would lose.
  auto fail = [&](const domain::Error& error) {
    log_failure(request, error);
    response = render_error_(request, error, route != nullptr ? route->errors : ErrorStyle::negotiated);
  };
  try {
    route = find(request);
    response = co_await route->handler(request);
  } catch (const domain::Error& error) {
    fail(error);
  } catch (const std::exception& error) {
    fail(domain::Error(domain::ErrorKind::internal, "An unexpected error occurred.",
                       std::string("handler exception: ") + error.what()));
  } catch (...) {
    fail(domain::Error(domain::ErrorKind::internal, "An unexpected error occurred.", "handler exception"));
  }
  if (context) policies_->apply(*context, *response);
  co_return std::move(*response);
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
