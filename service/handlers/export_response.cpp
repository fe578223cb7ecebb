#include "handlers/export_response.hpp"

#include "handlers/admin_query.hpp"

namespace leadgate::handlers {

namespace {

// Lives as long as the response: when the server is done with it (sent, or
// the client went away), the producer stops and the audit entry is written.
struct ExportTracker {
  std::shared_ptr<store::RowStream> stream;
  ExportAudit audit;
  bool completed = false;

  ~ExportTracker() {
    nlohmann::json details = {{"resource", audit.resource},
                              {"filters", audit.filters},
                              {"rows", stream->rows()},
                              {"completed", completed}};
    audit.log.record(audit.actor.name, "export", details.dump());
  }
};

}  // namespace

http::Response streamed_download(std::shared_ptr<store::RowStream> stream, store::ExportFormat format,
                                 const std::string& name, ExportAudit audit) {
  bool csv = format == store::ExportFormat::csv;
  audit.filters = audited(std::move(audit.filters));
  audit.filters["format"] = csv ? "csv" : "json";
  http::Response response;
  response.status = 200;
  response.with_header("Content-Type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
  response.with_header("Content-Disposition",
                       "attachment; filename=\"" + name + (csv ? ".csv" : ".ndjson") + "\"");
  response.with_header("Cache-Control", "no-store");
  // Built in place: a temporary tracker would write its own audit entry.
  auto tracker = std::shared_ptr<ExportTracker>(new ExportTracker{std::move(stream), std::move(audit), false});
  response.stream = [tracker](std::function<void(http::BodyChunk)> deliver) {
    // Only a weak reference travels with the callback: the tracker (and the
    // producer thread it owns) must end with the response, not with a
    // callback parked inside the producer.
    std::weak_ptr<ExportTracker> weak = tracker;
    tracker->stream->next([weak, deliver = std::move(deliver)](std::string text, bool last, bool failed) {
      if (auto alive = weak.lock(); alive && last && !failed) alive->completed = true;
      deliver(http::BodyChunk{std::move(text), last, failed});
    });
  };
  return response;
}

}  // namespace leadgate::handlers
