#include "handlers/export_response.hpp"

namespace leadgate::handlers {

namespace {

// Lives as long as the response: when the server is done with it (sent, or
// the client went away), the producer stops and the audit entry is written.
struct ExportTracker {
  std::shared_ptr<store::RowStream> stream;
  ExportAudit audit;
  store::ExportFormat format;
  bool completed = false;

  ~ExportTracker() {
    auto details = export_audit_details(audit.resource, std::move(audit.filters), format, stream->rows(), completed);
    audit.log.record(audit.actor.name, "export", details.dump());
  }
};

}  // namespace

nlohmann::json export_audit_details(const std::string& resource, nlohmann::json filters, store::ExportFormat format,
                                    std::size_t rows, bool completed) {
  if (filters.contains("q")) filters["q"] = true;
  filters["format"] = format == store::ExportFormat::csv ? "csv" : "json";
  return {{"resource", resource}, {"filters", std::move(filters)}, {"rows", rows}, {"completed", completed}};
}

http::Response download_head(store::ExportFormat format, const std::string& name) {
  bool csv = format == store::ExportFormat::csv;
  http::Response response;
  response.status = 200;
  response.with_header("Content-Type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson");
  response.with_header("Content-Disposition",
                       "attachment; filename=\"" + name + (csv ? ".csv" : ".ndjson") + "\"");
  response.with_header("Cache-Control", "no-store");
  // Streamed (chunked) like the download itself; the server sends only the
  // header of a HEAD answer, so this empty body is never asked for.
  response.stream = [](std::function<void(http::BodyChunk)> deliver) { deliver(http::BodyChunk{"", true, false}); };
  return response;
}

http::Response streamed_download(std::shared_ptr<store::RowStream> stream, store::ExportFormat format,
                                 const std::string& name, ExportAudit audit) {
  auto response = download_head(format, name);
  // Built in place: a temporary tracker would write its own audit entry.
  auto tracker = std::shared_ptr<ExportTracker>(new ExportTracker{std::move(stream), std::move(audit), format, false});
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
