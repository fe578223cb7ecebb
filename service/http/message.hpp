#pragma once
// Beast-free request and response values: handlers and their unit tests see
// only these, so they compile quickly and run without a socket.

#include <functional>
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
  // The client: the socket peer, or, when the peer is a trusted proxy, the
  // address it forwarded (http/client_address.hpp). Resolved once by the
  // server, so consent records, rate limits and the access log agree.
  std::string client_address;
  // Unique in this process's life; names the request in every log line
  // about it (the access line and the failure's detail).
  std::string id;

  // Filled by the router.
  std::string route;  // the matched pattern, e.g. "/v1/forms/estimate"
  std::vector<std::pair<std::string, std::string>> path_params;

  std::string_view path() const;
  std::string_view query() const;  // without "?"
  // `name` in lower case; the first value if repeated.
  std::optional<std::string_view> header(std::string_view name) const;
  // Every line of a repeated header joined with ", " (RFC 9110 §5.3), for
  // list-valued headers whose last entries matter: a proxy may add a line of
  // its own to X-Forwarded-For instead of extending the client's.
  std::optional<std::string> combined_header(std::string_view name) const;
  std::optional<std::string_view> path_param(std::string_view name) const;
};

// A piece of a streamed body (CSV exports): `last` ends the body; `failed`
// means the rest cannot be produced, and the connection is cut so the
// client sees a broken transfer rather than a short file it would trust.
struct BodyChunk {
  std::string data;
  bool last = false;
  bool failed = false;
};

// Asks for the next chunk; `deliver` is called once, from any thread.
using BodyPuller = std::function<void(std::function<void(BodyChunk)> deliver)>;

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
  // When set, the body is sent with chunked transfer encoding from what this
  // produces, and `body` is ignored: memory stays constant however long it is.
  BodyPuller stream;

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
