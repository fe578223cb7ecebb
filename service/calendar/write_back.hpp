#pragma once
// Write-back (docs/email-and-webhooks.md, "Calendar write-back"): the
// worker's calendar lane puts a booked meeting into its host's write_to
// collection as the resource <uid>.ics, and deletes it when the meeting is
// cancelled. The jobs come from the outbox (store/calendar_jobs.hpp); the
// booking keeps the resource's ETag so that an update replaces only the
// version leadgate wrote.

#include <optional>
#include <string>
#include <vector>

#include "calendar/http_client.hpp"
#include "config/config.hpp"
#include "store/jobs.hpp"

namespace leadgate::calendar {

enum class WriteStatus {
  written,      // done (a delete of a resource that is gone is done too)
  retry,        // try again later, and count the attempt
  unreachable,  // no answer, or credentials refused: try again later without
                // counting it, and the host's next jobs would fail the same way
  reject,       // trying again cannot help
};

struct WriteResult {
  WriteStatus status = WriteStatus::written;
  std::string detail;  // the server's answer or the error, for the attempt record; names no credentials
  // Whether a request changed the resource (false: nothing was sent); then
  // `etag` is its ETag now, to keep on the booking: none after a delete, or
  // when the server named none.
  bool changed = false;
  std::optional<std::string> etag;
};

// <collection>/<uid>.ics, the UID percent-encoded as one path segment, the
// collection's credentials kept. Throws FetchFailed for a collection that
// is not a URL.
std::string event_url(const std::string& collection, const std::string& uid);

// PUT `ics` as the event `uid` into `collection` (a URL with its
// credentials): with If-Match `etag` when one is stored, else with
// If-None-Match: *, so that a write replaces only the version leadgate
// wrote last, or creates the event. A 412 (the host edited the event, or a
// write's outcome was lost before its ETag was kept) reads the resource's
// current ETag and writes once more over that version: the meeting's time
// is leadgate's to decide. A second 412 is a retry.
WriteResult put_event(const std::string& collection, const std::string& uid, const std::string& ics,
                      const std::optional<std::string>& etag, const FetchLimits& limits);

// DELETE the event `uid` from `collection`; one already gone (404, 410) is
// deleted as well.
WriteResult delete_event(const std::string& collection, const std::string& uid, const FetchLimits& limits);

// A calendar job done: the host named by the job's recipient is looked up
// in `hosts` (the worker's configuration, where its write_to and the
// credentials in it live); a host no longer there or without a write_to is
// a reject. A job superseded by a newer write of its booking already made
// is done without a request.
class WriteBack {
 public:
  WriteBack(std::vector<config::Host> hosts, FetchLimits limits);

  WriteResult deliver(const store::ClaimedJob& job) const;

 private:
  std::vector<config::Host> hosts_;
  FetchLimits limits_;
};

}  // namespace leadgate::calendar
