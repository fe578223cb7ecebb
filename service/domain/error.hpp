#pragma once
// The one error type handlers throw. Each kind maps to exactly one HTTP status
// in http/problem.cpp; `detail` is what the client may read, `log_detail`
// what only the log sees.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace leadgate::domain {

struct FieldError {
  std::string field;
  std::string code;     // stable, machine-readable: "required", "too_long", …
  std::string message;  // a sentence a visitor can act on
};

enum class ErrorKind {
  bad_request,             // 400 malformed body
  unauthorized,            // 401
  forbidden,               // 403
  not_found,               // 404
  method_not_allowed,      // 405, with Allow
  conflict,                // 409
  gone,                    // 410: a link to something that is over (a meeting started or cancelled)
  payload_too_large,       // 413
  unsupported_media_type,  // 415
  validation_failed,       // 422, with field errors
  rate_limited,            // 429, with Retry-After
  internal,                // 500
  unavailable,             // 503, with Retry-After
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string detail, std::string log_detail = {})
      : std::runtime_error(detail), kind_(kind), detail_(std::move(detail)),
        log_detail_(std::move(log_detail)) {}

  static Error validation(std::vector<FieldError> errors);

  ErrorKind kind() const { return kind_; }
  const std::string& detail() const { return detail_; }
  const std::string& log_detail() const { return log_detail_; }
  const std::vector<FieldError>& field_errors() const { return field_errors_; }

  // Extra response headers the status needs (Allow, Retry-After).
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
  Error& with_header(std::string name, std::string value) {
    headers_.emplace_back(std::move(name), std::move(value));
    return *this;
  }

 private:
  ErrorKind kind_;
  std::string detail_;
  std::string log_detail_;
  std::vector<FieldError> field_errors_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

inline Error Error::validation(std::vector<FieldError> errors) {
  Error error(ErrorKind::validation_failed, "Some fields need attention.");
  error.field_errors_ = std::move(errors);
  return error;
}

}  // namespace leadgate::domain
