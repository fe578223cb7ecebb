#include "calendar/fetch.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <memory>
#include <mutex>
#include <string_view>

namespace leadgate::calendar {

// The helpers live in a namespace of their own: in a unity build this file
// shares one translation unit with busy_time.cpp, whose helpers sit in
// leadgate::calendar's anonymous namespace.
namespace fetching {
namespace {

constexpr std::string_view dav_ns = "DAV:";
constexpr std::string_view caldav_ns = "urn:ietf:params:xml:ns:caldav";
constexpr long max_redirects = 3;

std::string lower_case(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool ends_with_ics(std::string_view path) {
  return path.size() >= 4 && lower_case(path.substr(path.size() - 4)) == ".ics";
}

// Without Boost.URL's reading (a URL it refuses), the userinfo is cut by
// hand: everything between "//" and the last '@' of the authority.
std::string strip_userinfo_by_hand(const std::string& url) {
  auto authority = url.find("//");
  if (authority == std::string::npos) return url.find('@') == std::string::npos ? url : "(a URL that cannot be read)";
  authority += 2;
  auto end = url.find_first_of("/?#", authority);
  auto at = url.rfind('@', end == std::string::npos ? std::string::npos : end);
  if (at == std::string::npos || at < authority) return url;
  return url.substr(0, authority) + url.substr(at + 1);
}

std::string utc_basic(Seconds t) { return date::format("%Y%m%dT%H%M%SZ", t); }

// RFC 4791 §7.8: every event that overlaps the window. Servers answer with
// the master of a recurring series (RRULE, EXDATE and its overrides), not
// the expanded instances: busy_intervals expands them.
std::string calendar_query(Window window) {
  return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
         "<C:calendar-query xmlns:D=\"DAV:\" xmlns:C=\"urn:ietf:params:xml:ns:caldav\">\n"
         "  <D:prop><D:getetag/><C:calendar-data/></D:prop>\n"
         "  <C:filter>\n"
         "    <C:comp-filter name=\"VCALENDAR\">\n"
         "      <C:comp-filter name=\"VEVENT\">\n"
         "        <C:time-range start=\"" +
         utc_basic(window.from) + "\" end=\"" + utc_basic(window.to) +
         "\"/>\n"
         "      </C:comp-filter>\n"
         "    </C:comp-filter>\n"
         "  </C:filter>\n"
         "</C:calendar-query>\n";
}

// What one transfer has read. The callbacks run inside curl, a C library:
// nothing may be thrown through it, so they record trouble here and answer
// curl with a short count, which ends the transfer.
struct Transfer {
  std::size_t max_bytes = 0;
  std::string body;
  std::optional<std::string> etag;  // of the last response (after redirects)
  bool too_large = false;
  bool out_of_memory = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  if (bytes > transfer->max_bytes - transfer->body.size()) {
    transfer->too_large = true;
    return 0;  // CURLE_WRITE_ERROR
  }
  try {
    transfer->body.append(data, bytes);
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
      transfer->etag.reset();
      return bytes;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos || lower_case(line.substr(0, colon)) != "etag") return bytes;
    auto value = line.substr(colon + 1);
    auto first = value.find_first_not_of(" \t");
    auto last = value.find_last_not_of(" \t\r\n");
    if (first != std::string_view::npos && last != std::string_view::npos && last >= first) {
      transfer->etag = std::string(value.substr(first, last - first + 1));
    }
  } catch (...) {
    transfer->out_of_memory = true;
    return 0;
  }
  return bytes;
}

struct Request {
  std::string url;  // without credentials
  std::optional<std::string> user;
  std::optional<std::string> password;
  std::string shown;  // the URL as messages name it
};

// The URL the transfer asks for: webcal is a feed's http (webcals its
// https), and credentials leave the URL for curl's own options, so that no
// error or log of curl's can carry them.
Request prepare(const std::string& url) {
  auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) throw FetchFailed(redacted(url) + ": not a URL");
  boost::urls::url target(*parsed);
  Request request;
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

using Easy = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;
using Headers = std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)>;

void append(Headers& headers, const std::string& header) {
  auto* list = curl_slist_append(headers.get(), header.c_str());
  if (list == nullptr) throw std::bad_alloc();
  headers.release();
  headers.reset(list);
}

// One blocking transfer; returns the HTTP status of the last response.
// With a body, `method` is sent instead of POST (and kept across redirects).
long perform(const Request& request, const char* method, const std::string* body, const Headers& headers,
             Transfer& transfer, const FetchLimits& limits) {
  Easy easy(curl_easy_init(), curl_easy_cleanup);
  if (!easy) throw FetchFailed(request.shown + ": libcurl could not start a transfer");
  CURL* curl = easy.get();
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  if (body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body->c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
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
    throw FetchFailed(request.shown + ": " + detail);
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  return status;
}

// Elements by namespace URI and local name: servers choose their own
// prefixes (Radicale answers with DAV: as the default namespace).
bool is_element(const xmlNode* node, std::string_view ns, std::string_view name) {
  return node != nullptr && node->type == XML_ELEMENT_NODE && node->ns != nullptr && node->ns->href != nullptr &&
         ns == reinterpret_cast<const char*>(node->ns->href) && name == reinterpret_cast<const char*>(node->name);
}

std::string text_of(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  if (content == nullptr) return {};
  std::string text;
  try {
    text = reinterpret_cast<const char*>(content);
  } catch (...) {
    xmlFree(content);
    throw;
  }
  xmlFree(content);
  return text;
}

// "HTTP/1.1 200 OK" → 200; 0 for anything else.
int status_code(const std::string& status_line) {
  auto space = status_line.find(' ');
  if (space == std::string::npos || status_line.size() < space + 4) return 0;
  int code = 0;
  for (std::size_t i = space + 1; i < space + 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(status_line[i]))) return 0;
    code = code * 10 + (status_line[i] - '0');
  }
  return code;
}

// The calendar-data of every response in a 207 multistatus (RFC 4918
// §13, RFC 4791 §9.6).
std::vector<std::string> calendars_in_multistatus(const std::string& body, const std::string& shown) {
  if (body.size() > static_cast<std::size_t>(INT_MAX)) throw FetchFailed(shown + ": the answer is too large");
  static std::once_flag parser_ready;
  std::call_once(parser_ready, [] { xmlInitParser(); });
  std::unique_ptr<xmlParserCtxt, decltype(&xmlFreeParserCtxt)> context(xmlNewParserCtxt(), xmlFreeParserCtxt);
  if (!context) throw FetchFailed(shown + ": out of memory reading the answer");
  // The answer is a stranger's XML: no network (no external DTD or entity
  // is ever fetched), no entity substitution (XML_PARSE_NOENT stays off),
  // no DTD loading, and libxml2's own limits against entity amplification
  // (XML_PARSE_HUGE stays off). Errors are read from the context rather
  // than printed.
  const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA;
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc(
      xmlCtxtReadMemory(context.get(), body.data(), static_cast<int>(body.size()), nullptr, nullptr, options),
      xmlFreeDoc);
  if (!doc) {
    const xmlError* error = xmlCtxtGetLastError(context.get());
    std::string detail = error != nullptr && error->message != nullptr ? error->message : "not well-formed";
    while (!detail.empty() && std::isspace(static_cast<unsigned char>(detail.back()))) detail.pop_back();
    throw FetchFailed(shown + ": the answer is not XML (" + detail + ")");
  }
  // A multistatus has no use for a document type; one that declares
  // entities is an attack on the parser, not a calendar.
  if (doc->intSubset != nullptr || doc->extSubset != nullptr) {
    throw FetchFailed(shown + ": the answer declares a document type");
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (!is_element(root, dav_ns, "multistatus")) throw FetchFailed(shown + ": the answer is not a DAV:multistatus");

  std::vector<std::string> calendars;
  for (const xmlNode* response = root->children; response != nullptr; response = response->next) {
    if (!is_element(response, dav_ns, "response")) continue;
    for (const xmlNode* part = response->children; part != nullptr; part = part->next) {
      // A status for the whole response instead of properties: 507 when
      // the server cut the result short, or an error. Half a calendar
      // would read as free time, so it fails the fetch.
      if (is_element(part, dav_ns, "status")) {
        int code = status_code(text_of(part));
        if (code < 200 || code > 299) {
          throw FetchFailed(shown + ": the server answered part of the query with \"" + text_of(part) + "\"");
        }
      }
      if (!is_element(part, dav_ns, "propstat")) continue;
      const xmlNode* status = nullptr;
      for (const xmlNode* child = part->children; child != nullptr; child = child->next) {
        if (is_element(child, dav_ns, "status")) status = child;
      }
      // Properties the server did not have (404 in their propstat) hold no
      // calendar data.
      if (status == nullptr || status_code(text_of(status)) != 200) continue;
      for (const xmlNode* prop = part->children; prop != nullptr; prop = prop->next) {
        if (!is_element(prop, dav_ns, "prop")) continue;
        for (const xmlNode* data = prop->children; data != nullptr; data = data->next) {
          if (!is_element(data, caldav_ns, "calendar-data")) continue;
          auto text = text_of(data);
          if (text.find_first_not_of(" \t\r\n") != std::string::npos) calendars.push_back(std::move(text));
        }
      }
    }
  }
  return calendars;
}

Fetched fetch_collection(const Request& request, Window window, const FetchLimits& limits) {
  Headers headers(nullptr, curl_slist_free_all);
  append(headers, "Depth: 1");
  append(headers, "Content-Type: application/xml; charset=utf-8");
  // No "Expect: 100-continue" round trip before a small body.
  append(headers, "Expect:");
  auto body = calendar_query(window);
  Transfer transfer;
  transfer.max_bytes = limits.max_bytes;
  long status = perform(request, "REPORT", &body, headers, transfer, limits);
  if (status != 207) {
    throw FetchFailed(request.shown + ": answered HTTP " + std::to_string(status) + " to a CalDAV REPORT, not 207");
  }
  Fetched fetched;
  fetched.calendars = calendars_in_multistatus(transfer.body, request.shown);
  return fetched;
}

Fetched fetch_feed(const Request& request, const std::optional<std::string>& etag, const FetchLimits& limits) {
  Headers headers(nullptr, curl_slist_free_all);
  append(headers, "Accept: text/calendar, */*;q=0.5");
  if (etag) append(headers, "If-None-Match: " + *etag);
  Transfer transfer;
  transfer.max_bytes = limits.max_bytes;
  long status = perform(request, "GET", nullptr, headers, transfer, limits);
  Fetched fetched;
  if (status == 304 && etag) {
    fetched.changed = false;
    fetched.etag = transfer.etag ? transfer.etag : etag;
    return fetched;
  }
  if (status < 200 || status > 299) throw FetchFailed(request.shown + ": answered HTTP " + std::to_string(status));
  fetched.calendars.push_back(std::move(transfer.body));
  fetched.etag = std::move(transfer.etag);
  return fetched;
}

}  // namespace
}  // namespace fetching

bool is_feed(const std::string& url) {
  auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) return false;
  auto scheme = fetching::lower_case(parsed->scheme());
  return scheme == "webcal" || scheme == "webcals" || fetching::ends_with_ics(parsed->path());
}

std::string redacted(const std::string& url) {
  auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) return fetching::strip_userinfo_by_hand(url);
  boost::urls::url shown(*parsed);
  shown.remove_userinfo();
  return std::string(shown.buffer());
}

Fetched fetch_calendar(const std::string& url, Window window, const std::optional<std::string>& etag,
                       const FetchLimits& limits) {
  auto request = fetching::prepare(url);
  try {
    return is_feed(url) ? fetching::fetch_feed(request, etag, limits)
                        : fetching::fetch_collection(request, window, limits);
  } catch (const std::bad_alloc&) {
    throw FetchFailed(request.shown + ": out of memory");
  }
}

}  // namespace leadgate::calendar
