// mail/payloads: every e-mail template against its payload struct. A
// variable a template uses must be in its struct's JSON (or be one of the
// sender's: site_url, sender_name), every field of a struct must be shown by
// its template, and a payload that lacks a field is refused by name. Mustache
// renders a missing name as nothing; these tests are what keeps a renamed
// field or column from blanking an e-mail.

#include "mail/payloads.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "mail/outgoing.hpp"
#include "mail/templates.hpp"
#include "mustache_names.hpp"

namespace {

namespace mail = leadgate::mail;
using leadgate::testing::names_used;
using leadgate::testing::NameUse;
using nlohmann::json;

const std::string template_directory = LEADGATE_SOURCE_DIR "/templates/email";
constexpr std::array<std::string_view, 3> parts = {".subject.mustache", ".txt.mustache", ".html.mustache"};

const mail::Sender studio_sender{mail::Mailbox{"Studio Lumen", "hello@lumen.example"}, "https://lumen.example"};

// A sample of each struct, every value distinct, so a test can find each in
// the rendered e-mail. A struct added to EmailPayloads without one here
// does not compile.
const mail::BookingTimes when{"Monday 2 March 2026, 08:00 (Europe/London)",
                              "Monday 2 March 2026, 09:00 (Europe/Berlin)", 45, "https://meet.example/studio-42"};
const mail::Attachment invitation{"invitation.ics", "text/calendar; method=REQUEST; charset=UTF-8",
                                  "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"};

mail::EstimateConfirmation sample(std::type_identity<mail::EstimateConfirmation>) {
  return {"0190e0d2-7a3b-7cde-8f00-0123456789ab", "Ana Ruiz"};
}

mail::LeadNotification sample(std::type_identity<mail::LeadNotification>) {
  return {"0190e0d2-7a3b-7cde-8f00-0123456789ab",
          "Ana Ruiz",
          "ana@example.com",
          "Ruiz Engines",
          "+34 600 000 000",
          "5k-15k",
          "next quarter",
          {"web-design", "seo"},
          true,
          "2026-01",
          "Please build us a shop.",
          "https://lumen.example/estimate",
          "https://search.example/",
          "newsletter",
          "cpc",
          "spring",
          "shop builder",
          "banner-2",
          "2026-03-02T09:00:00.123456+00:00",
          "2",
          "2026-02-27",
          "Ana Lima"};
}

mail::NewsletterConfirmation sample(std::type_identity<mail::NewsletterConfirmation>) {
  return {{"https://lumen.example/v1/newsletter/confirm?token=c0ffee",
           "https://lumen.example/v1/newsletter/unsubscribe?token=dec0de"}};
}

mail::BookingConfirmation sample(std::type_identity<mail::BookingConfirmation>) {
  return {when,
          "Ana Ruiz",
          {"https://lumen.example/v1/booking/cancel?token=ab12", {invitation},
           "https://lumen.example/v1/booking/reschedule?token=ab12"}};
}

mail::BookingNotification sample(std::type_identity<mail::BookingNotification>) {
  return {when, "Ana Ruiz", "ana@example.com", "Ruiz Engines", "+34 600 000 000", "A new shop",
          "0190e0d2-0000-7cde-8f00-0123456789ab", "0190e0d2-1111-7cde-8f00-0123456789ab"};
}

mail::BookingReminder sample(std::type_identity<mail::BookingReminder>) {
  return {when,
          "Ana Ruiz",
          {"https://lumen.example/v1/booking/cancel?token=ab12", "https://lumen.example/v1/booking/reschedule?token=ab12"}};
}

mail::BookingCancellation sample(std::type_identity<mail::BookingCancellation>) {
  return {when.visitor_time, "Ana Ruiz", {{invitation}}};
}

mail::BookingCancelled sample(std::type_identity<mail::BookingCancelled>) {
  return {when.business_time, "Ana Ruiz", "ana@example.com", "0190e0d2-1111-7cde-8f00-0123456789ab"};
}

mail::BookingRescheduled sample(std::type_identity<mail::BookingRescheduled>) {
  return {when,
          "Friday 27 February 2026, 15:30 (Europe/London)",
          "Ana Ruiz",
          {"https://lumen.example/v1/booking/cancel?token=cd34", "https://lumen.example/v1/booking/reschedule?token=cd34",
           {invitation}}};
}

mail::BookingMoved sample(std::type_identity<mail::BookingMoved>) {
  return {when, "Friday 27 February 2026, 16:30 (Europe/Berlin)", "Ana Ruiz", "ana@example.com",
          "0190e0d2-1111-7cde-8f00-0123456789ab"};
}

struct Sample {
  std::string template_name;
  json payload;  // the struct's JSON
};

std::vector<Sample> samples() {
  return []<class... Payload>(std::tuple<Payload...>*) {
    return std::vector<Sample>{
        Sample{std::string(Payload::template_name), json(sample(std::type_identity<Payload>{}))}...};
  }(static_cast<mail::EmailPayloads*>(nullptr));
}

// Not template variables: build_message puts these into the message itself.
bool message_extra(const std::string& path) {
  return path == "secret.attachments" || path.starts_with("secret.headers");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The paths of a payload's values: "name", "secret.cancel_url", …; an array
// is one value.
void collect_leaves(const json& value, const std::string& path, std::vector<std::string>& leaves) {
  if (!value.is_object()) {
    leaves.push_back(path);
    return;
  }
  for (const auto& [key, item] : value.items()) collect_leaves(item, path.empty() ? key : path + "." + key, leaves);
}

std::vector<std::string> leaves_of(const json& payload) {
  std::vector<std::string> leaves;
  collect_leaves(payload, "", leaves);
  return leaves;
}

json::json_pointer pointer_to(const std::string& path) {
  std::string pointer;
  std::istringstream parts_of(path);
  for (std::string part; std::getline(parts_of, part, '.');) pointer += "/" + part;
  return json::json_pointer(pointer);
}

// A name's path in the data, looked up as Mustache does: its first part in
// the innermost section that opens a context and has it, then outwards.
std::optional<std::string> find_path(const std::vector<std::pair<std::string, const json*>>& contexts,
                                     const std::string& name) {
  auto first = name.substr(0, name.find('.'));
  for (auto context = contexts.rbegin(); context != contexts.rend(); ++context) {
    if (!context->second->is_object() || !context->second->contains(first)) continue;
    auto path = context->first.empty() ? name : context->first + "." + name;
    return context->second->contains(pointer_to(name)) ? std::optional(path) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> resolve(const json& data, const NameUse& use) {
  std::vector<std::pair<std::string, const json*>> contexts = {{"", &data}};
  for (const auto& section : use.sections) {
    auto path = find_path(contexts, section.name);
    if (section.inverted || !path) continue;
    const json* value = &data.at(pointer_to(*path));
    // A list's items are all alike here: its first one stands for all.
    if (value->is_array() && !value->empty()) {
      value = &value->front();
      *path += ".0";
    }
    if (value->is_object()) contexts.emplace_back(*path, value);
  }
  return find_path(contexts, use.name);
}

// The paths of the data a template part uses, or the names it cannot find.
struct Uses {
  std::set<std::string> found;
  std::vector<std::string> missing;
};

Uses uses_of(const Sample& sample) {
  auto data = mail::template_data(studio_sender, sample.payload);
  Uses uses;
  for (auto part : parts) {
    auto file = sample.template_name + std::string(part);
    for (const auto& use : names_used(read_file(template_directory + "/" + file))) {
      if (auto path = resolve(data, use)) {
        uses.found.insert(*path);
      } else {
        uses.missing.push_back(file + ": {{" + use.name + "}}");
      }
    }
  }
  return uses;
}

std::string payload_error(const std::string& template_name, const json& payload) {
  try {
    mail::checked_payload(template_name, payload);
    return "<accepted>";
  } catch (const mail::PayloadError& error) {
    return error.what();
  }
}

bool mentions(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// Fields added to a payload after its first release (PayloadReader::
// added_text): a job an earlier version queued lacks them, and must still
// send, with the field empty.
bool added_later(std::string_view template_name, std::string_view path) {
  if (path == "meeting_url") return true;  // every booking e-mail's times
  // "Has written before" (and its flag, derived from the count), and the
  // lead's owner.
  if (template_name == "lead_notification" && (path == "earlier_leads" || path == "earlier_last_on" ||
                                               path == "has_written_before" || path == "owner")) {
    return true;
  }
  return path == "secret.reschedule_url" &&
         (template_name == "booking_confirmation" || template_name == "booking_reminder");
}

}  // namespace

TEST(email_payloads, every_template_has_a_struct_and_every_struct_a_template) {
  std::set<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(template_directory)) {
    auto file = entry.path().filename().string();
    for (auto part : parts) {
      if (file.ends_with(part)) files.insert(file.substr(0, file.size() - part.size()));
    }
  }
  std::set<std::string> structs;
  for (auto name : mail::email_template_names()) {
    EXPECT_TRUE(structs.insert(std::string(name)).second) << name << " has two structs";
  }
  EXPECT_EQ(files, structs);
  // All three parts of each: load() names any that is missing.
  EXPECT_NO_THROW(mail::EmailTemplates::load(template_directory, mail::email_template_names()));
}

TEST(email_payloads, every_name_a_template_uses_is_in_its_structs_json) {
  for (const auto& sample : samples()) {
    EXPECT_EQ(uses_of(sample).missing, std::vector<std::string>{}) << sample.template_name;
  }
}

TEST(email_payloads, every_field_of_a_struct_is_used_by_its_template) {
  for (const auto& sample : samples()) {
    auto used = uses_of(sample).found;
    for (const auto& leaf : leaves_of(sample.payload)) {
      if (!message_extra(leaf)) {
        EXPECT_TRUE(used.contains(leaf)) << sample.template_name << ": " << leaf;
      }
    }
  }
}

TEST(email_payloads, every_template_renders_its_sample_showing_every_value) {
  auto templates = mail::EmailTemplates::load(template_directory, mail::email_template_names());
  for (const auto& sample : samples()) {
    auto message = mail::build_message(
        *templates, studio_sender,
        mail::OutgoingJob{sample.template_name, "ana@example.com", std::nullopt, sample.payload.dump(), "id",
                          std::chrono::system_clock::now()});
    auto shown = message.subject + "\n" + message.text + "\n" + message.html;
    for (const auto& leaf : leaves_of(sample.payload)) {
      const auto& value = sample.payload.at(pointer_to(leaf));
      if (message_extra(leaf) || !value.is_string()) continue;
      EXPECT_TRUE(mentions(shown, value.get<std::string>())) << sample.template_name << ": " << leaf;
    }
  }
}

TEST(email_payloads, the_struct_reads_back_what_it_writes) {
  for (const auto& sample : samples()) {
    EXPECT_EQ(mail::checked_payload(sample.template_name, sample.payload), sample.payload) << sample.template_name;
  }
}

TEST(email_payloads, a_payload_without_a_field_its_template_uses_throws_naming_template_and_field) {
  for (const auto& sample : samples()) {
    for (const auto& path : uses_of(sample).found) {
      if (path == "site_url" || path == "sender_name") continue;
      auto payload = sample.payload;
      payload.at(pointer_to(path).parent_pointer()).erase(pointer_to(path).back());
      auto error = payload_error(sample.template_name, payload);
      if (added_later(sample.template_name, path)) {
        EXPECT_EQ(error, "<accepted>") << sample.template_name << " without " << path;
        continue;
      }
      EXPECT_TRUE(mentions(error, sample.template_name) && mentions(error, "\"" + path + "\" is missing"))
          << sample.template_name << " without " << path << ": " << error;
    }
  }
}

TEST(email_payloads, a_confirmation_queued_before_reschedules_existed_reads_without_its_link) {
  auto payload = json(sample(std::type_identity<mail::BookingConfirmation>{}));
  payload["secret"].erase("reschedule_url");
  payload.erase("meeting_url");
  auto read = payload.get<mail::BookingConfirmation>();
  EXPECT_EQ(read.secret.reschedule_url, "");
  EXPECT_EQ(read.secret.cancel_url, "https://lumen.example/v1/booking/cancel?token=ab12");
  auto reminder = json(sample(std::type_identity<mail::BookingReminder>{}));
  reminder["secret"].erase("reschedule_url");
  EXPECT_EQ(reminder.get<mail::BookingReminder>().secret.reschedule_url, "");
}

TEST(email_payloads, from_json_of_a_payload_missing_a_field_throws) {
  json payload = {{"name", "Ana Ruiz"}};
  EXPECT_THROW(payload.get<mail::EstimateConfirmation>(), mail::PayloadError);
  EXPECT_THROW(json::object().get<mail::LeadNotification>(), mail::PayloadError);
  EXPECT_THROW(json::array().get<mail::BookingReminder>(), mail::PayloadError);
}

TEST(email_payloads, a_renamed_lead_column_fails_the_lead_notification) {
  auto lead = json(sample(std::type_identity<mail::LeadNotification>{}));
  lead["company_name"] = lead["company"];
  lead.erase("company");
  EXPECT_EQ(payload_error("lead_notification", lead), "lead_notification payload: \"company\" is missing");
}

TEST(email_payloads, a_nullable_lead_column_may_be_null_but_not_absent) {
  auto lead = json(sample(std::type_identity<mail::LeadNotification>{}));
  for (const char* column : {"company", "phone", "budget", "timeline", "page_url", "referrer", "utm_source",
                             "utm_medium", "utm_campaign", "utm_term", "utm_content"}) {
    auto payload = lead;
    payload[column] = nullptr;
    EXPECT_TRUE(mail::checked_payload("lead_notification", payload)[column].is_null()) << column;
  }
  for (const char* column : {"id", "name", "email", "consent_version", "message", "created_at"}) {
    auto payload = lead;
    payload[column] = nullptr;
    auto error = payload_error("lead_notification", payload);
    EXPECT_TRUE(mentions(error, "\"" + std::string(column) + "\" is not a string")) << error;
  }
}

TEST(email_payloads, the_lead_row_is_read_without_the_columns_no_template_shows) {
  auto row = json(sample(std::type_identity<mail::LeadNotification>{}));
  row.update({{"client_address", "192.0.2.1"}, {"user_agent", "curl"}, {"note", "private"}, {"status", "new"}});
  auto checked = mail::checked_payload("lead_notification", row);
  for (const char* column : {"client_address", "user_agent", "note", "status"}) {
    EXPECT_FALSE(checked.contains(column)) << column;
  }
}

TEST(email_payloads, a_value_of_the_wrong_type_throws_naming_it) {
  auto booking = json(sample(std::type_identity<mail::BookingNotification>{}));
  booking["minutes"] = "45";
  EXPECT_EQ(payload_error("booking_notification", booking),
            "booking_notification payload: \"minutes\" is not an integer");
  auto lead = json(sample(std::type_identity<mail::LeadNotification>{}));
  lead["services"] = {"seo", 1};
  EXPECT_EQ(payload_error("lead_notification", lead),
            "lead_notification payload: \"services\" is not an array of strings");
}

TEST(email_payloads, an_attachment_needs_its_name_type_and_content) {
  auto booking = json(sample(std::type_identity<mail::BookingConfirmation>{}));
  booking["secret"]["attachments"][0].erase("content_type");
  EXPECT_EQ(payload_error("booking_confirmation", booking),
            "booking_confirmation payload: \"secret.attachments[0].content_type\" is missing");
}

TEST(email_payloads, the_newsletter_confirmation_carries_one_click_unsubscribe_headers) {
  auto payload = json(sample(std::type_identity<mail::NewsletterConfirmation>{}));
  EXPECT_EQ(payload["secret"]["headers"],
            (json{{"List-Unsubscribe", "<https://lumen.example/v1/newsletter/unsubscribe?token=dec0de>"},
                  {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}}));
}

TEST(email_payloads, a_template_name_without_a_struct_throws) {
  EXPECT_THROW(mail::checked_payload("greeting", json::object()), std::invalid_argument);
}
