#include "handlers/admin_lead_page.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <chrono>
#include <string_view>
#include <utility>

#include "domain/consultation.hpp"
#include "domain/field_reader.hpp"
#include "domain/wall_clock.hpp"
#include "handlers/admin_leads.hpp"
#include "handlers/admin_query.hpp"

namespace leadgate::handlers {

namespace {

// A string field of a JSON object, or "" when it is missing or null.
std::string json_text(const nlohmann::json& object, std::string_view name) {
  auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string();
}

// "estimate_confirmation" → "estimate confirmation"
std::string in_words(std::string code) {
  for (auto& c : code) {
    if (c == '_') c = ' ';
  }
  return code;
}

// {label, value} rows of a description list, leaving out what is empty.
void add_row(nlohmann::json& rows, std::string_view label, std::string value) {
  if (!value.empty()) rows.push_back({{"label", label}, {"value", std::move(value)}});
}

nlohmann::json lead_fields(const nlohmann::json& lead, const std::string& received) {
  nlohmann::json rows = nlohmann::json::array();
  add_row(rows, "Company", json_text(lead, "company"));
  add_row(rows, "Phone", json_text(lead, "phone"));
  add_row(rows, "Budget", json_text(lead, "budget"));
  add_row(rows, "Timeline", json_text(lead, "timeline"));
  std::string services;
  if (auto found = lead.find("services"); found != lead.end() && found->is_array()) {
    for (const auto& service : *found) {
      if (service.is_string()) services += (services.empty() ? "" : ", ") + service.get<std::string>();
    }
  }
  add_row(rows, "Services", services);
  add_row(rows, "Form", json_text(lead, "form"));
  add_row(rows, "Owner", json_text(lead, "owner"));
  add_row(rows, "Received", received);
  return rows;
}

nlohmann::json attribution_rows(const nlohmann::json& lead) {
  nlohmann::json rows = nlohmann::json::array();
  add_row(rows, "Page", json_text(lead, "page_url"));
  add_row(rows, "Referrer", json_text(lead, "referrer"));
  for (const char* name : {"utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content"}) {
    add_row(rows, name, json_text(lead, name));
  }
  return rows;
}

// The consent given with the submission: given when the lead was received.
nlohmann::json consent_rows(const nlohmann::json& lead, const std::string& received) {
  nlohmann::json rows = nlohmann::json::array();
  add_row(rows, "Marketing e-mails", lead.value("consent_marketing", false) ? "yes" : "no");
  add_row(rows, "Privacy notice version", json_text(lead, "consent_version"));
  add_row(rows, "When", received);
  return rows;
}

// One entry of lead-timeline as the page shows it: a title, who (for what
// sales did), a state (for what was sent), and text or details.
nlohmann::json timeline_entry(const nlohmann::json& entry, const std::string& zone_name) {
  auto kind = json_text(entry, "kind");
  nlohmann::json shown = {{"when", json_text(entry, "when")}, {"actor", false}, {"state", false},
                          {"text", false},                  {"details", false}};
  if (auto actor = json_text(entry, "actor"); !actor.empty()) shown["actor"] = actor;
  auto old_value = json_text(entry, "old");
  auto new_value = json_text(entry, "new");
  if (kind == "received") {
    shown["title"] = "Received from the " + json_text(entry, "form") + " form";
  } else if (kind == "status") {
    shown["title"] = "Status " + old_value + " → " + new_value;
  } else if (kind == "note") {
    shown["title"] = new_value.empty() ? "Note cleared" : "Note";
    if (!new_value.empty()) shown["text"] = new_value;
  } else if (kind == "owner") {
    shown["title"] = "Owner " + (old_value.empty() ? "nobody" : old_value) + " → " +
                     (new_value.empty() ? "nobody" : new_value);
  } else if (kind == "notices") {
    // What a release queued, or a spam mark dropped (store/lead_admin.cpp).
    shown["title"] = "E-mails after the status change";
    shown["text"] = new_value;
  } else if (kind == "email" || kind == "webhook") {
    shown["title"] = (kind == "email" ? "E-mail " : "Webhook ") + in_words(json_text(entry, "template")) + " to " +
                     json_text(entry, "recipient");
    auto status = json_text(entry, "status");
    shown["state"] = status;
    std::string details;
    auto attempts = entry.value("attempts", 0);
    if (attempts > 0) details = std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
    if (auto sent = json_text(entry, "sent_at"); !sent.empty()) details += (details.empty() ? "" : ", ") + ("sent " + sent);
    if (auto error = json_text(entry, "last_error"); !error.empty() && status != "sent") {
      details += (details.empty() ? "" : "; ") + ("last error: " + error);
    }
    if (!details.empty()) shown["details"] = details;
  } else if (kind == "booking") {
    shown["title"] = "Meeting booked for " + json_text(entry, "start") + " (" + zone_name + ")";
    shown["state"] = json_text(entry, "status");
    if (auto outcome = json_text(entry, "outcome"); !outcome.empty()) shown["details"] = "Outcome: " + in_words(outcome);
  } else {
    // A kind of history this page does not know yet: shown as it is.
    shown["title"] = kind;
    if (!new_value.empty()) shown["text"] = new_value;
  }
  return shown;
}

// The same person's other leads (each linked to its page), their bookings
// of other leads (this lead's own are in its timeline) and subscription.
nlohmann::json person_view(const nlohmann::json& person, const std::string& id, const date::time_zone& zone) {
  nlohmann::json leads = nlohmann::json::array();
  for (const auto& other : person.value("leads", nlohmann::json::array())) {
    leads.push_back({{"url", "/admin/leads/" + json_text(other, "id")},
                     {"when", domain::minute_in_zone(json_text(other, "created_at"), zone)},
                     {"form", json_text(other, "form")},
                     {"status", json_text(other, "status")},
                     {"email", json_text(other, "email")}});
  }
  nlohmann::json bookings = nlohmann::json::array();
  for (const auto& booking : person.value("bookings", nlohmann::json::array())) {
    auto lead = json_text(booking, "lead_id");
    if (lead == id) continue;
    bookings.push_back({{"url", "/admin/leads/" + lead},
                        {"start", domain::minute_in_zone(json_text(booking, "start"), zone)},
                        {"status", json_text(booking, "status")}});
  }
  nlohmann::json subscription = false;
  if (auto found = person.find("subscription"); found != person.end() && found->is_object()) {
    subscription = {{"state", json_text(*found, "state")},
                    {"since", domain::minute_in_zone(json_text(*found, "created_at"), zone)}};
  }
  bool none = leads.empty() && bookings.empty() && subscription.is_boolean();
  return {{"leads", leads}, {"has_leads", !leads.empty()}, {"bookings", bookings},
          {"has_bookings", !bookings.empty()}, {"subscription", subscription}, {"none", none}};
}

}  // namespace

async::Task<nlohmann::json> lead_page_view(Services& services, std::string id) {
  auto detail = co_await services.lead_admin.get(id);
  if (!detail) throw no_record("lead");
  const auto& zone_name = services.config.booking.timezone;
  auto timeline = nlohmann::json::parse(co_await services.lead_admin.timeline(id, zone_name));
  auto lead = nlohmann::json::parse(detail->lead);
  const auto* zone = domain::find_zone(zone_name);

  nlohmann::json entries = nlohmann::json::array();
  std::string received;
  for (const auto& entry : timeline) {
    if (json_text(entry, "kind") == "received") received = json_text(entry, "when");
    entries.push_back(timeline_entry(entry, zone_name));
  }
  auto status = json_text(lead, "status");
  nlohmann::json status_options = nlohmann::json::array();
  for (auto value : lead_statuses()) status_options.push_back({{"value", value}, {"selected", value == status}});
  auto message = json_text(lead, "message");
  co_return nlohmann::json{
      {"id", id},
      {"name", json_text(lead, "name")},
      {"email", json_text(lead, "email")},
      {"status", status},
      // For the spam summary the leads list shows too.
      {"spam_score", lead.value("spam_score", 0)},
      {"spam_reasons", lead.value("spam_reasons", nlohmann::json::array())},
      {"status_options", status_options},
      {"owner", json_text(lead, "owner")},
      {"fields", lead_fields(lead, received)},
      // A consultation's message is the topic of the meeting.
      {"message_label", json_text(lead, "form") == "consultation" ? "Topic" : "Message"},
      {"message", message.empty() ? nlohmann::json(false) : nlohmann::json(message)},
      {"attribution", attribution_rows(lead)},
      {"consent", consent_rows(lead, received)},
      {"zone", zone_name},
      {"timeline", entries},
      {"person", person_view(nlohmann::json::parse(detail->person), id, *zone)},
      {"back", "/admin/leads/" + id}};
}

std::optional<std::string> read_lead_owner(const domain::FormInput& input) {
  domain::FieldReader reader(input);
  auto owner = reader.text("owner", domain::TextRule{.max_chars = 100, .lines = domain::Lines::single});
  if (!reader.ok()) throw domain::Error::validation(reader.errors());
  return owner;
}

std::string read_lead_note(const domain::FormInput& input) {
  domain::FieldReader reader(input);
  auto note = reader.text("note", domain::TextRule{.required = true, .max_chars = 5000, .lines = domain::Lines::multiple});
  if (!reader.ok() || !note) throw domain::Error::validation(reader.errors());
  return *note;
}

}  // namespace leadgate::handlers
