#include "http/problem.hpp"

#include <nlohmann/json.hpp>

namespace leadgate::http {

using domain::ErrorKind;

int status_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_request: return 400;
    case ErrorKind::unauthorized: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::method_not_allowed: return 405;
    case ErrorKind::conflict: return 409;
    case ErrorKind::gone: return 410;
    case ErrorKind::payload_too_large: return 413;
    case ErrorKind::unsupported_media_type: return 415;
    case ErrorKind::validation_failed: return 422;
    case ErrorKind::rate_limited: return 429;
    case ErrorKind::internal: return 500;
    case ErrorKind::unavailable: return 503;
  }
  return 500;
}

std::string_view title_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::bad_request: return "Bad Request";
    case ErrorKind::unauthorized: return "Unauthorized";
    case ErrorKind::forbidden: return "Forbidden";
    case ErrorKind::not_found: return "Not Found";
    case ErrorKind::method_not_allowed: return "Method Not Allowed";
    case ErrorKind::conflict: return "Conflict";
    case ErrorKind::gone: return "Gone";
    case ErrorKind::payload_too_large: return "Content Too Large";
    case ErrorKind::unsupported_media_type: return "Unsupported Media Type";
    case ErrorKind::validation_failed: return "Unprocessable Content";
    case ErrorKind::rate_limited: return "Too Many Requests";
    case ErrorKind::internal: return "Internal Server Error";
    case ErrorKind::unavailable: return "Service Unavailable";
  }
  return "Internal Server Error";
}

Response problem_response(const domain::Error& error) {
  nlohmann::json body = {
      {"type", "about:blank"},
      {"title", title_of(error.kind())},
      {"status", status_of(error.kind())},
      {"detail", error.detail()},
  };
  if (!error.field_errors().empty()) {
    auto& errors = body["errors"] = nlohmann::json::array();
    for (const auto& field : error.field_errors()) {
      errors.push_back({{"field", field.field}, {"code", field.code}, {"message", field.message}});
    }
  }
  auto response = Response::text(status_of(error.kind()),
                                 body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                                 "application/problem+json");
  for (const auto& [name, value] : error.headers()) response.with_header(name, value);
  return response;
}

}  // namespace leadgate::http
