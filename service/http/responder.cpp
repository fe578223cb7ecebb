#include "http/responder.hpp"

#include "http/problem.hpp"
#include "log/log.hpp"

namespace leadgate::http {

Responder::State::~State() {
  if (answered.exchange(true)) return;
  log::error("handler_dropped_response");
  try {
    sink(problem_response(domain::Error(domain::ErrorKind::internal, "An unexpected error occurred.")));
  } catch (...) {
    // A destructor must not throw; the connection will be closed instead.
  }
}

}  // namespace leadgate::http
