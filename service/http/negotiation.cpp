#include "http/negotiation.hpp"

#include "http/form_body.hpp"

namespace leadgate::http {

bool wants_html(const Request& request) {
  auto accept = request.header("accept").value_or("");
  if (accept.find("application/json") != std::string_view::npos ||
      accept.find("application/problem+json") != std::string_view::npos) {
    return false;
  }
  if (request.method == Method::get || request.method == Method::head) {
    return accept.find("text/html") != std::string_view::npos;
  }
  return body_type(request.header("content-type").value_or("")) == BodyType::urlencoded;
}

}  // namespace leadgate::http
