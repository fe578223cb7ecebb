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

// A CSV or NDJSON download named `name` plus the format's extension.
http::Response streamed_download(std::shared_ptr<store::RowStream> stream, store::ExportFormat format,
                                 const std::string& name, ExportAudit audit);

}  // namespace leadgate::handlers
