#include "handlers/booking_mail.hpp"

#include <nlohmann/json.hpp>

#include "domain/consultation.hpp"
#include "domain/ics.hpp"
#include "handlers/webhook_targets.hpp"
#include "mail/mime.hpp"

namespace leadgate::handlers {

namespace {

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

const date::time_zone* zone_or(std::string_view name, const date::time_zone* fallback) {
  auto* zone = domain::find_zone(name);
  return zone != nullptr ? zone : fallback;
}

// The invitation for this version of the booking: the UID never changes,
// the SEQUENCE grows with each change, so calendars update one event.
nlohmann::json invitation(const config::Config& config, const store::BookingInfo& booking,
                          domain::Invitation::Method method, const std::string& description) {
  auto organizer = mail::parse_mailbox(config.mail.from);
  domain::Invitation invite;
  invite.method = method;
  invite.uid = booking.id + "@" + domain_of(organizer.address);
  invite.sequence = booking.sequence;
  invite.start = booking.start;
  invite.end = booking.end;
  invite.stamp = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  invite.summary = "Consultation with " + (organizer.display_name.empty() ? organizer.address : organizer.display_name);
  invite.description = description;
  invite.organizer_name = organizer.display_name;
  invite.organizer_email = organizer.address;
  invite.attendee_name = booking.name;
  invite.attendee_email = booking.email;
  bool cancel = method == domain::Invitation::Method::cancel;
  return {{"filename", cancel ? "cancellation.ics" : "invitation.ics"},
          {"content_type", domain::ics_content_type(method)},
          {"content", domain::to_ics(invite)}};
}

// The times every booking e-mail shows: in the visitor's zone and the business's.
nlohmann::json times(const config::Config& config, const store::BookingInfo& booking) {
  auto* business = domain::find_zone(config.booking.timezone);
  auto* visitor = zone_or(booking.visitor_timezone, business);
  return {{"visitor_time", readable_time(booking.start, visitor)},
          {"business_time", readable_time(booking.start, business)},
          {"minutes", std::chrono::duration_cast<std::chrono::minutes>(booking.end - booking.start).count()},
          {"start_utc", domain::rfc3339_utc(booking.start)}};
}

// What a CRM learns from booking.created / booking.cancelled.
nlohmann::json webhook_data(const store::BookingInfo& booking, const BookingExtras* extras) {
  nlohmann::json data = {{"booking_id", booking.id},
                         {"lead_id", booking.lead_id},
                         {"status", booking.status},
                         {"start", domain::rfc3339_utc(booking.start)},
                         {"end", domain::rfc3339_utc(booking.end)},
                         {"visitor_timezone", booking.visitor_timezone},
                         {"name", booking.name},
                         {"email", booking.email}};
  if (extras != nullptr) {
    data["company"] = extras->company ? nlohmann::json(*extras->company) : nlohmann::json(nullptr);
    data["phone"] = extras->phone ? nlohmann::json(*extras->phone) : nlohmann::json(nullptr);
    data["topic"] = extras->topic ? nlohmann::json(*extras->topic) : nlohmann::json(nullptr);
  }
  return data;
}

}  // namespace

std::string readable_time(date::sys_seconds time, const date::time_zone* zone) {
  auto local = date::make_zoned(zone, time);
  auto day = date::format("%d", local);
  if (day.starts_with('0')) day.erase(0, 1);
  return date::format("%A ", local) + day + date::format(" %B %Y, %H:%M", local) + " (" + std::string(zone->name()) +
         ")";
}

store::Notices booked_notices(const config::Config& config, const store::BookingInfo& booking,
                              const BookingExtras& extras, const std::string& cancel_url, date::sys_seconds now) {
  auto when = times(config, booking);
  std::string description = "Your consultation. If you cannot make it, cancel here: " + cancel_url;
  // The visitor's e-mails quote no free text: name and times only.
  nlohmann::json visitor = when;
  visitor["name"] = booking.name;
  visitor["secret"] = {
      {"cancel_url", cancel_url},
      {"attachments", nlohmann::json::array({invitation(config, booking, domain::Invitation::Method::request,
                                                        description)})}};
  nlohmann::json reminder = when;
  reminder["name"] = booking.name;
  reminder["secret"] = {{"cancel_url", cancel_url}};
  nlohmann::json sales = when;
  sales.update({{"name", booking.name},
                {"email", booking.email},
                {"company", extras.company.value_or("")},
                {"phone", extras.phone.value_or("")},
                {"topic", extras.topic.value_or("")},
                {"visitor_timezone", booking.visitor_timezone},
                {"lead_id", booking.lead_id},
                {"booking_id", booking.id}});

  std::vector<store::QueuedEmail> emails = {
      {"booking_confirmation", booking.email, std::nullopt, visitor.dump(), std::nullopt},
      {"booking_notification", config.mail.sales_inbox, booking.email, sales.dump(), std::nullopt},
  };
  // A reminder only makes sense for a meeting more than a day away.
  if (booking.start - now > std::chrono::hours(24)) {
    emails.push_back({"booking_reminder", booking.email, std::nullopt, reminder.dump(),
                      booking.start - std::chrono::hours(24)});
  }
  return {std::move(emails), store::WebhookEvent{"booking.created", webhook_targets(config, "booking.created"),
                                                 webhook_data(booking, &extras).dump()}};
}

store::Notices cancelled_notices(const config::Config& config, const store::BookingInfo& booking) {
  auto when = times(config, booking);
  nlohmann::json visitor = when;
  visitor["name"] = booking.name;
  visitor["secret"] = {{"attachments", nlohmann::json::array({invitation(
                                           config, booking, domain::Invitation::Method::cancel,
                                           "This consultation was cancelled.")})}};
  nlohmann::json sales = when;
  sales.update({{"name", booking.name}, {"email", booking.email}, {"booking_id", booking.id}});
  std::vector<store::QueuedEmail> emails = {
      {"booking_cancellation", booking.email, std::nullopt, visitor.dump(), std::nullopt},
      {"booking_cancelled", config.mail.sales_inbox, booking.email, sales.dump(), std::nullopt},
  };
  return {std::move(emails), store::WebhookEvent{"booking.cancelled", webhook_targets(config, "booking.cancelled"),
                                                 webhook_data(booking, nullptr).dump()}};
}

}  // namespace leadgate::handlers
