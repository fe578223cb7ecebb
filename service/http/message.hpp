#pragma once
// Beast-free request and response values: handlers and their unit tests see
// only these, so they compile quickly and run without a socket.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadgate::http {

enum class Method { get, head, post, put, patch, delete_, options, other };

std::string_view to_string(Method method);

struct Header {
  std::string name;  // lower-case
  std::string value;
};

struct Request {
  Method method = Method::get;
  std::string target;  // path and query, as received
  std::vector<Header> headers;
  std::string body;
  std::string client_address;  // the socket peer

  // Filled by the router.
  std::string route;  // the matched pattern, e.g. "/v1/forms/estimate"
  std::vector<std::pair<std::string, std::string>> path_params;

  std::string_view path() const;
  std::string_view query() const;  // without "?"
  // `name` in lower case; the first value if repeated.
  std::optional<std::string_view> header(std::string_view name) const;
  std::optional<std::string_view> path_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  static Response json(int status, std::string body);
  static Response html(int status, std::string body);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response see_other(std::string location);

  Response& with_header(std::string name, std::string value) {
    headers.push_back(Header{std::move(name), std::move(value)});
    return *this;
  }
  std::optional<std::string_view> header(std::string_view name) const;
};

}  // namespace leadgate::http
