#include "calendar/write_back.hpp"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <boost/url/url.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <variant>

namespace leadgate::calendar {

// In a unity build this file shares a translation unit with the other
// calendar files: its helpers have a namespace of their own.
namespace writing {
namespace {

// How an answer to a PUT or DELETE counts. 401: the configured
// credentials, which only the operator can fix; like an outage, it must not
// use up the job's attempts. 403, 404 and 409 are a collection that is
// missing or refuses the write (or a CalDAV precondition): perhaps fixed
// in time, so retried and counted. Other 4xx say the request itself is
// wrong, and trying again cannot help.
WriteStatus status_of(long status) {
  if (status >= 200 && status < 300) return WriteStatus::written;
  if (status == 401) return WriteStatus::unreachable;
  if (status == 403 || status == 404 || status == 408 || status == 409 || status == 425 || status == 429 ||
      status >= 500) {
    return WriteStatus::retry;
  }
  return WriteStatus::reject;
}

WriteResult result_of(const HttpRequest& request, const std::string& method, const HttpAnswer& answer) {
  WriteResult result;
  result.status = status_of(answer.status);
  result.detail = method + " " + request.shown + " answered HTTP " + std::to_string(answer.status);
  if (result.status == WriteStatus::written) {
    result.changed = true;
    result.etag = answer.etag;
  }
  return result;
}

// A request that got no answer it could use: unreachable when none came,
// else (too large, a redirect loop, a certificate) a retry.
WriteResult failure(const std::string& method, const FetchFailed& error) {
  bool away = dynamic_cast<const NoAnswer*>(&error) != nullptr;
  return {away ? WriteStatus::unreachable : WriteStatus::retry, method + " " + error.what(), false, std::nullopt};
}

// Which version of the resource a PUT may replace.
struct Precondition {
  enum class Kind { none_exists, matches, any } kind = Kind::none_exists;
  std::string etag;
};

HttpAnswer put(const HttpRequest& request, const std::string& ics, const Precondition& precondition,
               const FetchLimits& limits) {
  std::vector<std::string> headers = {"Content-Type: text/calendar; charset=utf-8"};
  switch (precondition.kind) {
    case Precondition::Kind::none_exists: headers.push_back("If-None-Match: *"); break;
    case Precondition::Kind::matches: headers.push_back("If-Match: " + precondition.etag); break;
    case Precondition::Kind::any: break;
  }
  return perform_request(request, "PUT", &ics, headers, limits);
}

// After a 412: the version the calendar holds now. A resource that is gone
// is created again; one whose server names no ETag (CalDAV requires
// them, RFC 4791 §5.3.4) is written without a condition. When the read
// itself fails: why.
std::variant<Precondition, WriteResult> current_version(const HttpRequest& request, const FetchLimits& limits) {
  auto answer = perform_request(request, "GET", nullptr, {"Accept: text/calendar"}, limits);
  if (answer.status == 404 || answer.status == 410) return Precondition{Precondition::Kind::none_exists, {}};
  if (answer.status >= 200 && answer.status < 300) {
    if (answer.etag) return Precondition{Precondition::Kind::matches, *answer.etag};
    return Precondition{Precondition::Kind::any, {}};
  }
  return result_of(request, "GET", answer);  // not 2xx: never "written"
}

}  // namespace
}  // namespace writing

std::string event_url(const std::string& collection, const std::string& uid) {
  auto parsed = boost::urls::parse_uri(boost::core::string_view(collection.data(), collection.size()));
  if (!parsed) throw FetchFailed(redacted(collection) + ": not a URL");
  boost::urls::url url(*parsed);
  std::string path(url.encoded_path());
  if (path.empty() || path.back() != '/') path += '/';
  // A UID may hold any character; as one path segment, "/", "?", "#" and
  // "%" (and anything outside pchar) are percent-encoded.
  path += boost::urls::encode(uid + ".ics", boost::urls::pchars);
  url.set_encoded_path(path);
  url.remove_fragment();
  return std::string(url.buffer());
}

namespace writing {
namespace {

// `write` with the request for the event's resource: a URL that cannot be
// one is refused, and a request that got no usable answer is a failure of
// `method`.
template <class Write>
WriteResult at_event(const std::string& collection, const std::string& uid, const std::string& method, Write write) {
  HttpRequest request;
  try {
    request = prepare_request(event_url(collection, uid));
  } catch (const FetchFailed& error) {
    return {WriteStatus::reject, error.what(), false, std::nullopt};
  }
  try {
    return write(request);
  } catch (const FetchFailed& error) {
    return failure(method, error);
  }
}

}  // namespace
}  // namespace writing

WriteResult put_event(const std::string& collection, const std::string& uid, const std::string& ics,
                      const std::optional<std::string>& etag, const FetchLimits& limits) {
  using namespace writing;
  return at_event(collection, uid, "PUT", [&](const HttpRequest& request) {
    Precondition precondition;
    if (etag) precondition = {Precondition::Kind::matches, *etag};
    auto answer = put(request, ics, precondition, limits);
    if (answer.status != 412) return result_of(request, "PUT", answer);
    auto current = current_version(request, limits);
    if (auto* failed = std::get_if<WriteResult>(&current)) return *failed;
    answer = put(request, ics, std::get<Precondition>(current), limits);
    auto result = result_of(request, "PUT", answer);
    if (answer.status == 412) {
      result.status = WriteStatus::retry;
      result.detail += " twice: the event changed again while it was written";
    }
    return result;
  });
}

WriteResult delete_event(const std::string& collection, const std::string& uid, const FetchLimits& limits) {
  using namespace writing;
  return at_event(collection, uid, "DELETE", [&](const HttpRequest& request) {
    auto answer = perform_request(request, "DELETE", nullptr, {}, limits);
    if (answer.status == 404 || answer.status == 410) {
      return WriteResult{WriteStatus::written,
                         "DELETE " + request.shown + ": already gone (HTTP " + std::to_string(answer.status) + ")",
                         true, std::nullopt};
    }
    auto result = result_of(request, "DELETE", answer);
    result.etag.reset();
    return result;
  });
}

WriteBack::WriteBack(std::vector<config::Host> hosts, FetchLimits limits)
    : hosts_(std::move(hosts)), limits_(limits) {}

WriteResult WriteBack::deliver(const store::ClaimedJob& job) const {
  if (job.superseded) {
    return {WriteStatus::written, "not written: a newer write of this booking was already made", false, std::nullopt};
  }
  auto host = std::find_if(hosts_.begin(), hosts_.end(), [&](const config::Host& h) { return h.id == job.recipient; });
  if (host == hosts_.end()) {
    return {WriteStatus::reject, "the host \"" + job.recipient + "\" is no longer in booking.hosts", false, std::nullopt};
  }
  if (host->write_to.empty()) {
    return {WriteStatus::reject, "the host \"" + job.recipient + "\" has no write_to any more", false, std::nullopt};
  }
  std::string uid;
  std::string ics;
  try {
    auto payload = nlohmann::json::parse(job.payload);
    uid = payload.at("uid").get<std::string>();
    if (job.template_name == "calendar_put") ics = payload.at("ics").get<std::string>();
  } catch (const std::exception& error) {
    return {WriteStatus::reject, std::string("cannot read the job's payload: ") + error.what(), false, std::nullopt};
  }
  if (uid.empty()) return {WriteStatus::reject, "the job's payload has an empty uid", false, std::nullopt};
  if (job.template_name == "calendar_put") return put_event(host->write_to, uid, ics, job.calendar_etag, limits_);
  if (job.template_name == "calendar_delete") return delete_event(host->write_to, uid, limits_);
  return {WriteStatus::reject, "unknown calendar job \"" + job.template_name + "\"", false, std::nullopt};
}

}  // namespace leadgate::calendar
