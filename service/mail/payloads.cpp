#include "mail/payloads.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace leadgate::mail {

namespace {

// RFC 8058: a mail client's one-click unsubscribe posts this to the URL.
constexpr std::string_view one_click = "List-Unsubscribe=One-Click";

nlohmann::json attachments_json(const std::vector<Attachment>& attachments) {
  auto list = nlohmann::json::array();
  for (const auto& attachment : attachments) {
    list.push_back({{"filename", attachment.filename},
                    {"content_type", attachment.content_type},
                    {"content", attachment.content}});
  }
  return list;
}

std::vector<Attachment> read_attachments(const PayloadReader& in) {
  std::vector<Attachment> attachments;
  for (const auto& item : in.objects("attachments")) {
    attachments.push_back({item.text("filename"), item.text("content_type"), item.text("content")});
  }
  return attachments;
}

// The times sit at the top level of each booking payload, beside its other fields.
nlohmann::json with_times(const BookingTimes& when, nlohmann::json fields) {
  fields.update({{"visitor_time", when.visitor_time},
                 {"business_time", when.business_time},
                 {"minutes", when.minutes},
                 {"meeting_url", when.meeting_url}});
  return fields;
}

BookingTimes read_times(const PayloadReader& in) {
  return {in.text("visitor_time"), in.text("business_time"), in.integer("minutes"), in.added_text("meeting_url")};
}

// A payload read into its struct and written back.
template <class Payload>
nlohmann::json round_trip(const nlohmann::json& payload) {
  return nlohmann::json(payload.get<Payload>());
}

struct Check {
  std::string_view template_name;
  nlohmann::json (*read)(const nlohmann::json&);
};

// The template names and checks of EmailPayloads' types, in its order.
template <class... Payload>
constexpr std::array<Check, sizeof...(Payload)> checks_of(std::tuple<Payload...>*) {
  return {Check{Payload::template_name, &round_trip<Payload>}...};
}

template <class... Payload>
constexpr std::array<std::string_view, sizeof...(Payload)> names_of(std::tuple<Payload...>*) {
  return {Payload::template_name...};
}

constexpr auto checks = checks_of(static_cast<EmailPayloads*>(nullptr));
constexpr auto names = names_of(static_cast<EmailPayloads*>(nullptr));

}  // namespace

void to_json(nlohmann::json& json, const EstimateConfirmation& payload) {
  json = {{"lead_id", payload.lead_id}, {"name", payload.name}};
}

void from_json(const nlohmann::json& json, EstimateConfirmation& payload) {
  PayloadReader in(json);
  payload = {in.text("lead_id"), in.text("name")};
}

void to_json(nlohmann::json& json, const LeadNotification& payload) {
  json = {{"id", payload.id},
          {"name", payload.name},
          {"email", payload.email},
          {"company", nullable(payload.company)},
          {"phone", nullable(payload.phone)},
          {"budget", nullable(payload.budget)},
          {"timeline", nullable(payload.timeline)},
          {"services", payload.services},
          {"consent_marketing", payload.consent_marketing},
          {"consent_version", payload.consent_version},
          {"message", payload.message},
          {"page_url", nullable(payload.page_url)},
          {"referrer", nullable(payload.referrer)},
          {"utm_source", nullable(payload.utm_source)},
          {"utm_medium", nullable(payload.utm_medium)},
          {"utm_campaign", nullable(payload.utm_campaign)},
          {"utm_term", nullable(payload.utm_term)},
          {"utm_content", nullable(payload.utm_content)},
          {"created_at", payload.created_at},
          {"earlier_leads", payload.earlier_leads},
          {"earlier_last_on", payload.earlier_last_on},
          {"owner", payload.owner},
          // A section on a string is shown even when it is empty.
          {"has_written_before", !payload.earlier_leads.empty()}};
}

void from_json(const nlohmann::json& json, LeadNotification& payload) {
  PayloadReader in(json);
  payload.id = in.text("id");
  payload.name = in.text("name");
  payload.email = in.text("email");
  payload.company = in.nullable_text("company");
  payload.phone = in.nullable_text("phone");
  payload.budget = in.nullable_text("budget");
  payload.timeline = in.nullable_text("timeline");
  payload.services = in.texts("services");
  payload.consent_marketing = in.flag("consent_marketing");
  payload.consent_version = in.text("consent_version");
  payload.message = in.text("message");
  payload.page_url = in.nullable_text("page_url");
  payload.referrer = in.nullable_text("referrer");
  payload.utm_source = in.nullable_text("utm_source");
  payload.utm_medium = in.nullable_text("utm_medium");
  payload.utm_campaign = in.nullable_text("utm_campaign");
  payload.utm_term = in.nullable_text("utm_term");
  payload.utm_content = in.nullable_text("utm_content");
  payload.created_at = in.text("created_at");
  payload.earlier_leads = in.added_text("earlier_leads");
  payload.earlier_last_on = in.added_text("earlier_last_on");
  payload.owner = in.added_text("owner");
}

void to_json(nlohmann::json& json, const NewsletterConfirmation& payload) {
  const auto& secret = payload.secret;
  json = {{"secret",
           {{"confirm_url", secret.confirm_url},
            {"unsubscribe_url", secret.unsubscribe_url},
            {"headers",
             {{"List-Unsubscribe", "<" + secret.unsubscribe_url + ">"}, {"List-Unsubscribe-Post", one_click}}}}}};
}

void from_json(const nlohmann::json& json, NewsletterConfirmation& payload) {
  auto secret = PayloadReader(json).object("secret");
  // The headers are not read: to_json writes them again from the URL.
  payload.secret = {secret.text("confirm_url"), secret.text("unsubscribe_url")};
}

void to_json(nlohmann::json& json, const BookingConfirmation& payload) {
  json = with_times(payload.when,
                    {{"name", payload.name},
                     {"secret",
                      {{"cancel_url", payload.secret.cancel_url},
                       {"reschedule_url", payload.secret.reschedule_url},
                       {"attachments", attachments_json(payload.secret.attachments)}}}});
}

void from_json(const nlohmann::json& json, BookingConfirmation& payload) {
  PayloadReader in(json);
  auto secret = in.object("secret");
  payload = {read_times(in),
             in.text("name"),
             {secret.text("cancel_url"), read_attachments(secret), secret.added_text("reschedule_url")}};
}

void to_json(nlohmann::json& json, const BookingNotification& payload) {
  json = with_times(payload.when, {{"name", payload.name},
                                   {"email", payload.email},
                                   {"company", payload.company},
                                   {"phone", payload.phone},
                                   {"topic", payload.topic},
                                   {"lead_id", payload.lead_id},
                                   {"booking_id", payload.booking_id}});
}

void from_json(const nlohmann::json& json, BookingNotification& payload) {
  PayloadReader in(json);
  payload = {read_times(in),      in.text("name"),    in.text("email"),   in.text("company"),
             in.text("phone"),    in.text("topic"),   in.text("lead_id"), in.text("booking_id")};
}

void to_json(nlohmann::json& json, const BookingReminder& payload) {
  json = with_times(payload.when, {{"name", payload.name},
                                   {"secret",
                                    {{"cancel_url", payload.secret.cancel_url},
                                     {"reschedule_url", payload.secret.reschedule_url}}}});
}

void from_json(const nlohmann::json& json, BookingReminder& payload) {
  PayloadReader in(json);
  auto secret = in.object("secret");
  payload = {read_times(in), in.text("name"), {secret.text("cancel_url"), secret.added_text("reschedule_url")}};
}

void to_json(nlohmann::json& json, const BookingCancellation& payload) {
  json = {{"visitor_time", payload.visitor_time},
          {"name", payload.name},
          {"secret", {{"attachments", attachments_json(payload.secret.attachments)}}}};
}

void from_json(const nlohmann::json& json, BookingCancellation& payload) {
  PayloadReader in(json);
  payload = {in.text("visitor_time"), in.text("name"), {read_attachments(in.object("secret"))}};
}

void to_json(nlohmann::json& json, const BookingCancelled& payload) {
  json = {{"business_time", payload.business_time},
          {"name", payload.name},
          {"email", payload.email},
          {"booking_id", payload.booking_id}};
}

void from_json(const nlohmann::json& json, BookingCancelled& payload) {
  PayloadReader in(json);
  payload = {in.text("business_time"), in.text("name"), in.text("email"), in.text("booking_id")};
}

void to_json(nlohmann::json& json, const BookingRescheduled& payload) {
  json = with_times(payload.when, {{"previous_time", payload.previous_time},
                                   {"name", payload.name},
                                   {"secret",
                                    {{"cancel_url", payload.secret.cancel_url},
                                     {"reschedule_url", payload.secret.reschedule_url},
                                     {"attachments", attachments_json(payload.secret.attachments)}}}});
}

void from_json(const nlohmann::json& json, BookingRescheduled& payload) {
  PayloadReader in(json);
  auto secret = in.object("secret");
  payload = {read_times(in),
             in.text("previous_time"),
             in.text("name"),
             {secret.text("cancel_url"), secret.text("reschedule_url"), read_attachments(secret)}};
}

void to_json(nlohmann::json& json, const BookingMoved& payload) {
  json = with_times(payload.when, {{"previous_time", payload.previous_time},
                                   {"name", payload.name},
                                   {"email", payload.email},
                                   {"booking_id", payload.booking_id}});
}

void from_json(const nlohmann::json& json, BookingMoved& payload) {
  PayloadReader in(json);
  payload = {read_times(in), in.text("previous_time"), in.text("name"), in.text("email"), in.text("booking_id")};
}

std::span<const std::string_view> email_template_names() { return names; }

nlohmann::json checked_payload(std::string_view template_name, const nlohmann::json& payload) {
  for (const auto& check : checks) {
    if (check.template_name != template_name) continue;
    try {
      return check.read(payload);
    } catch (const PayloadError& error) {
      throw PayloadError(std::string(template_name) + " payload: " + error.what());
    }
  }
  throw std::invalid_argument("no e-mail template \"" + std::string(template_name) + "\"");
}

}  // namespace leadgate::mail
