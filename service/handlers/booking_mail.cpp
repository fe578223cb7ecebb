#include "handlers/booking_mail.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "domain/booking_uid.hpp"
#include "domain/consultation.hpp"
#include "domain/ics.hpp"
#include "handlers/webhook_targets.hpp"
#include "mail/mime.hpp"
#include "mail/payloads.hpp"

namespace leadgate::handlers {

namespace {

const date::time_zone* zone_or(std::string_view name, const date::time_zone* fallback) {
  auto* zone = domain::find_zone(name);
  return zone != nullptr ? zone : fallback;
}

// This version of the booking as an event: the UID never changes, the
// SEQUENCE grows with each change, so calendars update one event.
domain::Invitation event(const config::Config& config, const store::BookingInfo& booking,
                         domain::Invitation::Method method, const std::string& description) {
  auto organizer = mail::parse_mailbox(config.mail.from);
  domain::Invitation invite;
  invite.method = method;
  invite.uid = domain::booking_uid(booking.id, organizer.address);
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
  invite.meeting_url = meeting_url(config, booking);
  return invite;
}

mail::Attachment invitation(const config::Config& config, const store::BookingInfo& booking,
                            domain::Invitation::Method method, const std::string& description) {
  bool cancel = method == domain::Invitation::Method::cancel;
  return {cancel ? "cancellation.ics" : "invitation.ics", domain::ics_content_type(method),
          domain::to_ics(event(config, booking, method, description))};
}

// The write-back to the host's calendar (booking.hosts write_to): the event
// as stored there, or its removal. None for a host without write_to.
std::optional<store::CalendarWrite> calendar_write(const config::Config& config, const store::BookingInfo& booking,
                                                   store::CalendarWrite::Action action) {
  auto host = std::find_if(config.booking.hosts.begin(), config.booking.hosts.end(),
                           [&](const config::Host& host) { return host.id == booking.host_id; });
  if (host == config.booking.hosts.end() || host->write_to.empty()) return std::nullopt;
  auto stored = event(config, booking, domain::Invitation::Method::none,
                      "Consultation with " + booking.name + " <" + booking.email + ">, booked on the website.");
  return store::CalendarWrite{action, booking.id, booking.host_id, stored.uid,
                              action == store::CalendarWrite::Action::put ? domain::to_ics(stored) : ""};
}

// When the booking is, in the visitor's zone and the business's, and where.
mail::BookingTimes times(const config::Config& config, const store::BookingInfo& booking) {
  auto* business = domain::find_zone(config.booking.timezone);
  auto* visitor = zone_or(booking.visitor_timezone, business);
  return {readable_time(booking.start, visitor), readable_time(booking.start, business),
          std::chrono::duration_cast<std::chrono::minutes>(booking.end - booking.start).count(),
          meeting_url(config, booking)};
}

// The job of one e-mail: the template is the payload's own.
template <class Payload>
store::QueuedEmail email(const Payload& payload, std::string recipient, std::optional<std::string> reply_to = {},
                         std::optional<date::sys_seconds> due = {}) {
  return {std::string(Payload::template_name), std::move(recipient), std::move(reply_to),
          nlohmann::json(payload).dump(), due};
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

// The invitation's DESCRIPTION: what the visitor can do with the meeting.
std::string invitation_description(const BookingLinks& links) {
  return "Your consultation. To choose another time: " + links.reschedule_url +
         " If you cannot make it, cancel here: " + links.cancel_url;
}

// A reminder only makes sense for a meeting more than a day away; it is
// due 24 hours before.
std::optional<store::QueuedEmail> reminder(const config::Config& config, const store::BookingInfo& booking,
                                           const BookingLinks& links, date::sys_seconds now) {
  if (booking.start - now <= std::chrono::hours(24)) return std::nullopt;
  return email(mail::BookingReminder{times(config, booking), booking.name, {links.cancel_url, links.reschedule_url}},
               booking.email, std::nullopt, booking.start - std::chrono::hours(24));
}

// The host's own address (booking.hosts), or "" for a host without one and
// for the implicit host "business", whose mail goes to sales anyway.
std::string host_email(const config::Config& config, const std::string& host_id) {
  for (const auto& host : config.booking.hosts) {
    if (host.id == host_id) return host.email;
  }
  return "";
}

}  // namespace

std::string meeting_url(const config::Config& config, const store::BookingInfo& booking) {
  std::string url = config.booking.meeting_url;
  static constexpr std::string_view placeholder = "{booking_id}";
  for (auto at = url.find(placeholder); at != std::string::npos; at = url.find(placeholder, at + booking.id.size())) {
    url.replace(at, placeholder.size(), booking.id);
  }
  return url;
}

std::string calendar_file(const config::Config& config, const store::BookingInfo& booking, const BookingLinks& links) {
  return domain::to_ics(event(config, booking, domain::Invitation::Method::none,
                              "To move or cancel the consultation: " + links.reschedule_url));
}

std::string readable_time(date::sys_seconds time, const date::time_zone* zone) {
  auto local = date::make_zoned(zone, time);
  auto day = date::format("%d", local);
  if (day.starts_with('0')) day.erase(0, 1);
  return date::format("%A ", local) + day + date::format(" %B %Y, %H:%M", local) + " (" + std::string(zone->name()) +
         ")";
}

BookingLinks booking_links(const config::Config& config, const std::string& token) {
  return {config.http.public_url + "/v1/booking/cancel?token=" + token,
          config.http.public_url + "/v1/booking/reschedule?token=" + token};
}

store::Notices booked_notices(const config::Config& config, const store::BookingInfo& booking,
                              const BookingExtras& extras, const BookingLinks& links, date::sys_seconds now) {
  auto when = times(config, booking);
  // The visitor's e-mails quote no free text: name and times only.
  mail::BookingConfirmation visitor{
      when,
      booking.name,
      {links.cancel_url,
       {invitation(config, booking, domain::Invitation::Method::request, invitation_description(links))},
       links.reschedule_url}};
  mail::BookingNotification sales{when,
                                  booking.name,
                                  booking.email,
                                  extras.company.value_or(""),
                                  extras.phone.value_or(""),
                                  extras.topic.value_or(""),
                                  booking.lead_id,
                                  booking.id};

  std::vector<store::QueuedEmail> emails = {email(visitor, booking.email),
                                            email(sales, config.mail.sales_inbox, booking.email)};
  if (auto due = reminder(config, booking, links, now)) emails.push_back(std::move(*due));
  return {std::move(emails),
          store::WebhookEvent{"booking.created", webhook_targets(config, "booking.created"),
                              webhook_data(booking, &extras).dump()},
          calendar_write(config, booking, store::CalendarWrite::Action::put),
          std::nullopt};
}

store::Notices cancelled_notices(const config::Config& config, const store::BookingInfo& booking) {
  auto when = times(config, booking);
  mail::BookingCancellation visitor{
      when.visitor_time, booking.name,
      {{invitation(config, booking, domain::Invitation::Method::cancel, "This consultation was cancelled.")}}};
  mail::BookingCancelled sales{when.business_time, booking.name, booking.email, booking.id};
  std::vector<store::QueuedEmail> emails = {email(visitor, booking.email),
                                            email(sales, config.mail.sales_inbox, booking.email)};
  return {std::move(emails),
          store::WebhookEvent{"booking.cancelled", webhook_targets(config, "booking.cancelled"),
                              webhook_data(booking, nullptr).dump()},
          calendar_write(config, booking, store::CalendarWrite::Action::remove),
          std::nullopt};
}

store::Notices rescheduled_notices(const config::Config& config, const store::BookingInfo& before,
                                   const store::BookingInfo& after, const BookingLinks& links, date::sys_seconds now) {
  auto when = times(config, after);
  auto was = times(config, before);
  mail::BookingRescheduled visitor{
      when,
      was.visitor_time,
      after.name,
      {links.cancel_url, links.reschedule_url,
       {invitation(config, after, domain::Invitation::Method::request, invitation_description(links))}}};
  mail::BookingMoved note{when, was.business_time, after.name, after.email, after.id};
  std::vector<store::QueuedEmail> emails = {email(visitor, after.email),
                                            email(note, config.mail.sales_inbox, after.email)};
  // The host hears of it too: the one who has it now, and the one who no
  // longer has it.
  std::vector<std::string> hosts_told;
  for (const auto* booking : {&after, &before}) {
    auto address = host_email(config, booking->host_id);
    if (address.empty() || address == config.mail.sales_inbox) continue;
    if (std::find(hosts_told.begin(), hosts_told.end(), address) != hosts_told.end()) continue;
    hosts_told.push_back(address);
    emails.push_back(email(note, address, after.email));
  }
  if (auto due = reminder(config, after, links, now)) emails.push_back(std::move(*due));

  auto data = webhook_data(after, nullptr);
  data["previous_start"] = domain::rfc3339_utc(before.start);
  data["previous_end"] = domain::rfc3339_utc(before.end);
  data["host_id"] = after.host_id;
  data["sequence"] = after.sequence;
  store::Notices notices{std::move(emails),
                         store::WebhookEvent{"booking.rescheduled", webhook_targets(config, "booking.rescheduled"),
                                             data.dump()},
                         calendar_write(config, after, store::CalendarWrite::Action::put),
                         std::nullopt};
  if (before.host_id != after.host_id) {
    notices.calendar_removed = calendar_write(config, before, store::CalendarWrite::Action::remove);
  }
  return notices;
}

store::Notices no_show_notices(const config::Config& config, const store::BookingInfo& booking) {
  auto data = webhook_data(booking, nullptr);
  data["host_id"] = booking.host_id;
  data["outcome"] = "no_show";
  return {{}, store::WebhookEvent{"booking.no_show", webhook_targets(config, "booking.no_show"), data.dump()},
          std::nullopt, std::nullopt};
}

}  // namespace leadgate::handlers
