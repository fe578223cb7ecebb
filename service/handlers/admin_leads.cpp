#include "handlers/admin_leads.hpp"

#include <array>

#include "domain/field_reader.hpp"
#include "handlers/admin_auth.hpp"
#include "handlers/admin_query.hpp"
#include "handlers/admin_records.hpp"
#include "http/form_body.hpp"
#include "http/problem.hpp"

namespace leadgate::handlers {

namespace {

constexpr std::array<std::string_view, 2> forms = {"estimate", "consultation"};
constexpr std::array<std::string_view, 6> statuses = {"new", "contacted", "qualified", "won", "lost", "spam"};
constexpr std::size_t max_owner_chars = 100;

// {"status": "contacted", "note": "Called, send a proposal"}: at least one;
// "note": "" clears the note.
store::LeadChange read_change(const http::Request& request) {
  auto input = http::decode_form_body(request.header("content-type").value_or(""), request.body);
  domain::FieldReader reader(input);
  store::LeadChange change;
  change.status = reader.choice("status", std::vector<std::string>(statuses.begin(), statuses.end()));
  if (input.find("note") != nullptr) {
    change.note = reader.text("note", domain::TextRule{.max_chars = 5000, .lines = domain::Lines::multiple});
  }
  // A name, or null (or "") for nobody.
  if (input.find("owner") != nullptr) {
    auto owner = reader.text("owner", domain::TextRule{.max_chars = max_owner_chars, .lines = domain::Lines::single});
    // Set, holding no name: the lead is nobody's (the outer optional is "changes").
    change.owner = std::optional<std::string>(owner && !owner->empty() ? owner : std::nullopt);
  }
  for (const auto& [name, value] : input.fields()) {
    if (name != "status" && name != "note" && name != "owner") {
      reader.add_error(name, "unknown_field", "Only status, note and owner can change.");
    }
  }
  if (reader.ok() && !change.status && !change.note && !change.owner) {
    reader.add_error("status", "required", "Send a status, a note or an owner to change.");
  }
  if (!reader.ok()) throw domain::Error::validation(reader.errors());
  return change;
}

// {"lead": {…}, "history": […]}
http::Response detail_response(const std::optional<store::LeadDetail>& detail) {
  if (!detail) throw no_record("lead");
  return http::Response::json(200, R"({"lead":)" + detail->lead + R"(,"history":)" + detail->history +
                                       R"(,"person":)" + detail->person + "}");
}

}  // namespace

std::span<const std::string_view> lead_statuses() { return statuses; }

std::span<const std::string_view> lead_forms() { return forms; }

std::string lead_id(const http::Request& request) { return record_id(request, "lead"); }

domain::LeadFilter lead_filters(AdminQuery& query, const ListQuery& list) {
  domain::LeadFilter filters;
  filters.form = query.choice("form", forms);
  filters.status = query.choice("status", statuses);
  filters.from = list.from;
  filters.to = list.to;
  // Three characters at least: the search index (pg_trgm) looks up
  // trigrams, and a shorter q has none, so it would read every lead.
  filters.q = query.text("q", max_search_chars, min_search_chars);
  // owner=none: the leads nobody owns (stored as no owner, asked for as "").
  filters.owner = query.text("owner", max_owner_chars);
  if (filters.owner == "none") filters.owner = "";
  return filters;
}

nlohmann::json described(const domain::LeadFilter& filter) {
  std::optional<std::string> owner = filter.owner && filter.owner->empty() ? std::optional<std::string>("none")
                                                                          : filter.owner;
  return described({{"form", &filter.form}, {"status", &filter.status}, {"from", &filter.from}, {"to", &filter.to},
                    {"q", &filter.q}, {"owner", &owner}});
}

const ListedRecords leads{"leads", [](AdminQuery& query, const ListQuery& list) {
  auto filter = lead_filters(query, list);
  return record_query(filter, described(filter), &store::Listing::leads, &store::Listing::export_leads);
}};

async::Task<http::Response> list_leads(Services& services, const http::Request& request) {
  return list_records(services, leads, request);
}

async::Task<http::Response> export_leads(Services& services, const http::Request& request) {
  return export_records(services, leads, request);
}

async::Task<http::Response> get_lead(Services& services, const http::Request& request) {
  co_await authenticate(services, request, store::Role::sales);
  co_return detail_response(co_await services.lead_admin.get(lead_id(request)));
}

async::Task<http::Response> patch_lead(Services& services, const http::Request& request) {
  auto actor = co_await authenticate(services, request, store::Role::sales);
  auto id = lead_id(request);
  auto change = read_change(request);
  // Answered with the lead as it is now, history included.
  co_return detail_response(co_await services.lead_admin.change(id, change, actor.name));
}

}  // namespace leadgate::handlers
