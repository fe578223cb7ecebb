#pragma once
// A download streamed from a store::RowStream, with an audit entry when it
// ends (who, what, filters, rows sent, whether it completed).

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "http/message.hpp"
#include "store/audit.hpp"
#include "store/listing.hpp"
#include "store/row_stream.hpp"
#include "store/tokens.hpp"

namespace leadgate::handlers {

struct ExportAudit {
  store::AuditLog& log;
  store::Actor actor;
  std::string resource;   // "leads", "subscribers"
  nlohmann::json filters;
};

// What an export's audit entry says, for HTTP downloads and `leadgate export`
// alike: {"resource", "filters" (plus "format"), "rows", "completed"}. Of a
// search only "q": true is kept: its text is often a person's name or
// address, which erasure cannot reach in the audit log.
nlohmann::json export_audit_details(const std::string& resource, nlohmann::json filters, store::ExportFormat format,
                                    std::size_t rows, bool completed);

// A CSV or NDJSON download named `name` plus the format's extension.
// (A HEAD request gets download_head instead: the same headers, and no
// export is run.)
http::Response download_head(store::ExportFormat format, const std::string& name);
http::Response streamed_download(std::shared_ptr<store::RowStream> stream, store::ExportFormat format,
                                 const std::string& name, ExportAudit audit);

}  // namespace leadgate::handlers
