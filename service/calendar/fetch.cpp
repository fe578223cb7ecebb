#include "calendar/fetch.hpp"

#include <boost/url/parse.hpp>
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

bool ends_with_ics(std::string_view path) {
  return path.size() >= 4 && lower_case(path.substr(path.size() - 4)) == ".ics";
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
      bool granted = status != nullptr && status_code(text_of(status)) == 200;
      for (const xmlNode* prop = part->children; prop != nullptr; prop = prop->next) {
        if (!is_element(prop, dav_ns, "prop")) continue;
        for (const xmlNode* data = prop->children; data != nullptr; data = data->next) {
          if (!is_element(data, caldav_ns, "calendar-data")) continue;
          // An event whose data the server withholds (403 for a calendar
          // shared as free/busy only, say) is busy time we cannot see:
          // skipping it would read as free. Other properties it lacks (a
          // 404 for getetag) are harmless.
          if (!granted) {
            throw FetchFailed(shown + ": the server withheld an event's calendar data (\"" +
                              (status != nullptr ? text_of(status) : std::string("no status")) + "\")");
          }
          auto text = text_of(data);
          if (text.find_first_not_of(" \t\r\n") != std::string::npos) calendars.push_back(std::move(text));
        }
      }
    }
  }
  return calendars;
}

Fetched fetch_collection(const HttpRequest& request, Window window, const FetchLimits& limits) {
  auto body = calendar_query(window);
  auto answer = perform_request(request, "REPORT", &body,
                                {"Depth: 1", "Content-Type: application/xml; charset=utf-8"}, limits);
  if (answer.status != 207) {
    throw FetchFailed(request.shown + ": answered HTTP " + std::to_string(answer.status) +
                      " to a CalDAV REPORT, not 207");
  }
  Fetched fetched;
  fetched.calendars = calendars_in_multistatus(answer.body, request.shown);
  return fetched;
}

Fetched fetch_feed(const HttpRequest& request, const std::optional<std::string>& etag, const FetchLimits& limits) {
  std::vector<std::string> headers = {"Accept: text/calendar, */*;q=0.5"};
  if (etag) headers.push_back("If-None-Match: " + *etag);
  auto answer = perform_request(request, "GET", nullptr, headers, limits);
  Fetched fetched;
  if (answer.status == 304 && etag) {
    fetched.changed = false;
    fetched.etag = answer.etag ? answer.etag : etag;
    return fetched;
  }
  if (answer.status < 200 || answer.status > 299) {
    throw FetchFailed(request.shown + ": answered HTTP " + std::to_string(answer.status));
  }
  fetched.calendars.push_back(std::move(answer.body));
  fetched.etag = std::move(answer.etag);
  return fetched;
}

}  // namespace
}  // namespace fetching

bool is_feed(const std::string& url) {
  auto parsed = boost::urls::parse_uri(boost::core::string_view(url.data(), url.size()));
  if (!parsed) return false;
  auto scheme = lower_case(parsed->scheme());
  return scheme == "webcal" || scheme == "webcals" || fetching::ends_with_ics(parsed->path());
}

Fetched fetch_calendar(const std::string& url, Window window, const std::optional<std::string>& etag,
                       const FetchLimits& limits) {
  auto request = prepare_request(url);
  try {
    return is_feed(url) ? fetching::fetch_feed(request, etag, limits)
                        : fetching::fetch_collection(request, window, limits);
  } catch (const std::bad_alloc&) {
    throw FetchFailed(request.shown + ": out of memory");
  }
}

}  // namespace leadgate::calendar
