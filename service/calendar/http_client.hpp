#pragma once
// One blocking HTTP request to a calendar server (libcurl easy), shared by
// reading calendars (fetch.hpp) and writing booked meetings into them
// (write_back.hpp): credentials taken out of the URL and sent only to its
// host, every request bounded in time and size, and no message that could
// carry a password.

#include <chrono>
#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leadgate::calendar {

struct FetchLimits {
  std::chrono::seconds timeout{20};       // the whole request
  std::size_t max_bytes = 10 * 1024 * 1024;  // the body, decoded
};

// Anything that is not a readable answer: unreachable, a timeout, a status
// the caller cannot use, a body over the limit, a CalDAV answer that is not
// a multistatus. The message names the URL without credentials.
class FetchFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// No HTTP answer came at all: no connection, a timeout, TLS refused, the
// connection cut. The server is away, not the request wrong.
class NoAnswer : public FetchFailed {
 public:
  using FetchFailed::FetchFailed;
};

// `url` as it may be shown, logged and stored as the calendar's key: no
// user:password, no fragment, and the parts that look like a secret link's
// token (a long path segment of letters and digits, a query value) as a
// short fingerprint.
std::string redacted(const std::string& url);

// ASCII lower case, for header names and schemes.
std::string lower_case(std::string_view text);

// A URL ready for libcurl: webcal is a feed's http (webcals its https), and
// credentials leave the URL for curl's own options, so that no error or log
// of curl's can carry them.
struct HttpRequest {
  std::string url;  // without credentials
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::string shown;  // the URL as messages name it
};

// Throws FetchFailed for a URL that cannot be read, or one that is not
// http, https, webcal or webcals.
HttpRequest prepare_request(const std::string& url);

struct HttpAnswer {
  long status = 0;  // of the last response (after redirects)
  std::string body;
  std::optional<std::string> etag;  // of the last response
};

// One transfer. With a body, it is sent with `method` (kept across
// redirects); without one, `method` is sent bodiless ("GET", "DELETE").
// Credentials are sent as HTTP Basic authentication, and only to the URL's
// host and port: up to 3 redirects are followed, to http(s) only.
// Throws NoAnswer when no answer came, FetchFailed for any other transfer
// that failed (an answer over limits.max_bytes, a redirect loop, a
// certificate that does not verify). Needs curl_global_init to have run (main does, before
// any thread).
HttpAnswer perform_request(const HttpRequest& request, const std::string& method, const std::string* body,
                           const std::vector<std::string>& headers, const FetchLimits& limits);

}  // namespace leadgate::calendar
