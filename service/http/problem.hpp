#pragma once
// The one mapping from domain::Error to an HTTP status and RFC 9457 body.
// Every error response, JSON or HTML, is built from what this file says.

#include <string_view>

#include "domain/error.hpp"
#include "http/message.hpp"

namespace leadgate::http {

int status_of(domain::ErrorKind kind);

// The reason phrase of the status ("Unprocessable Content"); with the
// problem type "about:blank", RFC 9457 asks for exactly that as the title.
std::string_view title_of(domain::ErrorKind kind);

// application/problem+json: {"type","title","status","detail","errors"}.
// Carries the error's headers (Allow, Retry-After); never its log detail.
Response problem_response(const domain::Error& error);

}  // namespace leadgate::http
