#include "calendar/http_client.hpp"

#include "domain/digest.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace leadgate::calendar {

// The helpers live in a namespace of their own: in a unity build this file
// shares one translation unit with the other calendar files, whose helpers
// sit in anonymous namespaces of their own.
namespace http_client {
namespace {

constexpr long max_redirects = 3;

// A URL Boost.URL cannot read is shown up to its host: it cannot be
// fetched anyway, and nothing after the host can be told safe.
std::string host_part_by_hand(const std::string& url) {
  auto authority = url.find("//");
  if (authority == std::string::npos) return "(a URL that cannot be read)";
  authority += 2;
  auto end = url.find_first_of("/?#", authority);
  auto host = url.substr(authority, end == std::string::npos ? std::string::npos : end - authority);
  if (auto at = host.rfind('@'); at != std::string::npos) host = host.substr(at + 1);
  return url.substr(0, authority) + host + "/(a URL that cannot be read)";
}

// What one transfer has read. The callbacks run inside curl, a C library:
// nothing may be thrown through it, so they record trouble here and answer
// curl with a short count, which ends the transfer.
struct Transfer {
  std::size_t max_bytes = 0;
  HttpAnswer answer;
  bool too_large = false;
  bool out_of_memory = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  if (bytes > transfer->max_bytes - transfer->answer.body.size()) {
    transfer->too_large = true;
    return 0;  // CURLE_WRITE_ERROR
  }
  try {
    transfer->answer.body.append(data, bytes);
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return bytes;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  try {
    std::string_view line(data, bytes);
    // Each response of a redirect chain starts with its status line: only
    // the last response's ETag belongs to the body we keep.
    if (line.starts_with("HTTP/")) {
      transfer->answer.etag.reset();
      return bytes;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || lower_case(line.substr(0, colon)) != "etag") return bytes;
    auto value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    auto last = value.find_last_not_of(" \t\r\n");
    if (first != std::string_view::npos && last != std::string_view::npos && last >= first) {
      transfer->answer.etag = std::string(value.substr(first, last - first + 1));
    }
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return bytes;
}

// The server could not be reached, or went silent: a redirect loop, a
// certificate that does not verify or a malformed answer is an answer.
bool is_no_answer(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Headers = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

void append(Headers& headers, const std::string& header) {
  auto* list = curl_slist_append(headers.get(), header.c_str());
  if (list == nullptr) throw std::bad_alloc();
  headers.release();
  headers.reset(list);
}

constexpr std::size_t token_length = 16;

// A token rather than a name: 16 characters or more of the alphabets
// tokens are written in (hex, base64url, UUIDs), where letters and digits
// alternate as they do at random, at least 4 times. (basic.ics,
// team@example.com and names like work-calendar-2026 are not tokens.)
bool looks_like_token(std::string_view text) {
  constexpr int random_alternations = 4;
  auto is_token_character = [](unsigned char c) { return std::isalnum(c) != 0 || c == '-' || c == '_'; };
  if (text.size() < token_length || !std::all_of(text.begin(), text.end(), is_token_character)) return false;
  int alternations = 0;
  char last_kind = 0;
  for (unsigned char c : text) {
    char kind = std::isdigit(c) != 0 ? 'd' : std::isalpha(c) != 0 ? 'l' : 0;
    if (kind == 0) continue;
    if (last_kind != 0 && kind != last_kind) ++alternations;
    last_kind = kind;
  }
  return alternations >= random_alternations;
}

// "redacted-" and the first 6 hex digits of the secret's SHA-256: 24 bits,
// enough to tell a host's few calendars apart, far too few to find a long
// random secret by. A short value (?pw=1234) could be found by trying them
// all against its fingerprint, so it has none. (Plain ASCII: a URL would
// percent-encode anything else.)
std::string fingerprint(std::string_view secret) {
  if (secret.size() < token_length) return "redacted";
  return "redacted-" + domain::sha256_hex(secret).substr(0, 6);
}

// A path segment as it may be shown: a token, or a token with a file
// extension (…/4f8e…0a1b.ics), as its fingerprint.
std::optional<std::string> redacted_segment(std::string_view segment) {
  if (looks_like_token(segment)) return fingerprint(segment);
  auto dot = segment.rfind('.');
  if (dot != std::string_view::npos && looks_like_token(segment.substr(0, dot))) {
    return fingerprint(segment.substr(0, dot)) + std::string(segment.substr(dot));
  }
  return std::nullopt;
}

}  // namespace
}  // namespace http_client

std::string lower_case(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string redacted(const std::string& url) {
  auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) return http_client::host_part_by_hand(url);
  boost::urls::url shown(*parsed);
  shown.remove_userinfo();
  shown.remove_fragment();
  // Secret links carry their secret in the path (Google's private-…,
  // iCloud's and Outlook's published tokens) or in the query (?token=…):
  // each such part is shown as a fingerprint, which tells two
  // calendars apart without telling anyone the secret.
  auto segments = shown.segments();
  for (auto segment = segments.begin(); segment != segments.end(); ++segment) {
    if (auto safe = http_client::redacted_segment(std::string(*segment))) segment = segments.replace(segment, *safe);
  }
  // Every query value, and a bare query word that looks like a token
  // (?4f8e2c1a9b7d6e5f0a1b).
  auto params = shown.params();
  for (auto param = params.begin(); param != params.end(); ++param) {
    auto field = *param;
    if (field.has_value && !field.value.empty()) {
      param = params.replace(param, {field.key, http_client::fingerprint(field.value)});
    } else if (!field.has_value && http_client::looks_like_token(field.key)) {
      param = params.replace(param, {http_client::fingerprint(field.key), "", false});
    }
  }
  return std::string(shown.buffer());
}

HttpRequest prepare_request(const std::string& url) {
  auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) throw FetchFailed(redacted(url) + ": not a URL");
  boost::urls::url target(*parsed);
  HttpRequest request;
  request.shown = redacted(url);
  auto scheme = lower_case(target.scheme());
  if (scheme == "webcal") target.set_scheme("http");
  if (scheme == "webcals") target.set_scheme("https");
  if (scheme != "http" && scheme != "https" && scheme != "webcal" && scheme != "webcals") {
    throw FetchFailed(request.shown + ": only http, https, webcal and webcals URLs are read");
  }
  if (target.has_userinfo()) {
    request.user = target.user();
    if (target.has_password()) request.password = target.password();
    target.remove_userinfo();
  }
  // The fragment is the client's own; it is never sent.
  target.remove_fragment();
  request.url = std::string(target.buffer());
  return request;
}

HttpAnswer perform_request(const HttpRequest& request, const std::string& method, const std::string* body,
                           const std::vector<std::string>& header_lines, const FetchLimits& limits) {
  using namespace http_client;
  Headers headers(nullptr, curl_slist_free_all);
  for (const auto& line : header_lines) append(headers, line);
  // No "Expect: 100-continue" round trip before a small body.
  if (body != nullptr) append(headers, "Expect:");
  Easy easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) throw FetchFailed(request.shown + ": libcurl could not start a transfer");
  CURL* curl = easy.get();
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  if (body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    if (method != "GET") curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  if (request.user) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, request.user->c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, request.password ? request.password->c_str() : "");
  }
  // A redirect may go elsewhere, but the credentials stay with the host
  // (and port and scheme) they were given for, and only to http(s).
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl, CURLOPT_MAXREDIRS, max_redirects);
  curl_easy_setopt(curl, CURLOPT_UNRESTRICTED_AUTH, 0L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  // Every encoding this libcurl decodes (gzip, deflate, …), decoded before
  // on_body counts the bytes: a small compressed answer cannot unpack past
  // max_bytes.
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(std::chrono::milliseconds(limits.timeout).count()));
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "leadgate-calendar");
  Transfer transfer;
  transfer.max_bytes = limits.max_bytes;
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &transfer);

  CURLcode code = curl_easy_perform(curl);
  if (transfer.too_large) {
    throw FetchFailed(request.shown + ": the answer is larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  if (transfer.out_of_memory) throw FetchFailed(request.shown + ": out of memory reading the answer");
  if (code != CURLE_OK) {
    std::string detail = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(code));
    if (code == CURLE_OPERATION_TIMEDOUT) detail = "no complete answer within " + std::to_string(limits.timeout.count()) + " s";
    if (is_no_answer(code)) throw NoAnswer(request.shown + ": " + detail);
    throw FetchFailed(request.shown + ": " + detail);
  }
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &transfer.answer.status);
  return std::move(transfer.answer);
}

}  // namespace leadgate::calendar
