#pragma once
// Reading a calendar over HTTP(S): a CalDAV collection by REPORT
// calendar-query with a time range (RFC 4791 §7.8), an iCalendar feed (a URL
// whose path ends in .ics, or webcal://) by GET with If-None-Match.
// Blocking (libcurl easy), for the worker's calendar lane; every request is
// bounded in time and size.

#include <optional>
#include <string>
#include <vector>

#include "calendar/busy_time.hpp"
#include "calendar/http_client.hpp"

namespace leadgate::calendar {

struct Fetched {
  // false: a feed answered 304 Not Modified to the ETag we sent, and what
  // was synced last time still holds.
  bool changed = true;
  std::vector<std::string> calendars;  // VCALENDAR texts
  // A feed's, for the next If-None-Match (after a 304, the one the server
  // named, else the one sent); none for a CalDAV collection.
  std::optional<std::string> etag;
};

// A feed: a URL whose path ends in .ics (in any case), or a webcal://
// (webcals://) URL, which is read over http (https). Anything else is taken
// for a CalDAV collection.
bool is_feed(const std::string& url);

// Credentials may be given in the URL (https://user:pass@dav.example/ana/work/,
// percent-encoded); they are sent as perform_request sends them.
// Throws FetchFailed for anything that is not a readable answer: unreachable,
// a timeout, a status other than 2xx (or 304 for a feed), a body over the
// limit, a CalDAV answer that is not a multistatus.
Fetched fetch_calendar(const std::string& url, Window window, const std::optional<std::string>& etag,
                       const FetchLimits& limits = {});

}  // namespace leadgate::calendar
