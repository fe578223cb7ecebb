#pragma once
// The payload of every e-mail template: one struct per
// templates/email/NAME.*.mustache, holding exactly the variables that
// template uses (templates/README.md lists them). A payload built in C++ is
// built from its struct; one built in SQL (the lead notification is the lead
// row, the estimate confirmation a jsonb_build_object) is read into its
// struct by the worker before rendering, so a renamed column fails the job
// with an error naming the field instead of blanking the e-mail.
//
// from_json requires every field: a nullable column is read with its key
// required and its value allowed to be null (std::optional). Values under
// "secret" (links with tokens, and what carries them: attachments and
// headers) are removed from the outbox once the message is sent.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "mail/mime.hpp"
#include "mail/payload_reader.hpp"

namespace leadgate::mail {

// To the visitor, after the estimate form (built in SQL: insert-estimates).
struct EstimateConfirmation {
  static constexpr std::string_view template_name = "estimate_confirmation";
  std::string lead_id;
  std::string name;
};

// To sales, about a new estimate request: the lead row as it is when the
// e-mail is sent (claim-jobs merges to_jsonb of the lead into the payload).
struct LeadNotification {
  static constexpr std::string_view template_name = "lead_notification";
  std::string id;
  std::string name;
  std::string email;
  std::optional<std::string> company;
  std::optional<std::string> phone;
  std::optional<std::string> budget;
  std::optional<std::string> timeline;
  std::vector<std::string> services;
  bool consent_marketing = false;
  std::string consent_version;
  std::string message;
  std::optional<std::string> page_url;
  std::optional<std::string> referrer;
  std::optional<std::string> utm_source;
  std::optional<std::string> utm_medium;
  std::optional<std::string> utm_campaign;
  std::optional<std::string> utm_term;
  std::optional<std::string> utm_content;
  std::string created_at;  // as PostgreSQL writes a timestamptz in JSON
  // "has written before": how often the same person (by address key) sent
  // a lead before this one, and the day of the last; "" when never. Read
  // when the e-mail is sent; a job queued by an earlier version lacks them.
  std::string earlier_leads;
  std::string earlier_last_on;  // YYYY-MM-DD
  std::string owner;  // who handles the lead ("" nobody yet), read when the e-mail is sent
};

// To a newsletter sign-up. It quotes nothing the visitor typed.
struct NewsletterConfirmation {
  static constexpr std::string_view template_name = "newsletter_confirmation";
  struct Secret {
    std::string confirm_url;
    // Also the List-Unsubscribe header (RFC 8058 one-click), which to_json
    // writes from it under secret.headers.
    std::string unsubscribe_url;
  };
  Secret secret;
};

// When a booking is, as the e-mails that show all of it say it; its fields
// sit at the top level of their payloads.
// When the meeting is, and where: its link (booking.meeting_url), "" for none.
struct BookingTimes {
  std::string visitor_time;   // in the visitor's time zone
  std::string business_time;  // in booking.timezone
  std::int64_t minutes = 0;
  std::string meeting_url;
};

// To the visitor: the booking, with a calendar invitation, a cancel link and
// a reschedule link (both with the booking's one link token).
struct BookingConfirmation {
  static constexpr std::string_view template_name = "booking_confirmation";
  struct Secret {
    std::string cancel_url;
    std::vector<Attachment> attachments;  // the invitation (.ics); it holds the cancel link too
    std::string reschedule_url;           // "" in jobs queued before reschedules existed
  };
  BookingTimes when;
  std::string name;
  Secret secret;
};

// To sales: a new booking. Reply-To is the visitor.
struct BookingNotification {
  static constexpr std::string_view template_name = "booking_notification";
  BookingTimes when;
  std::string name;
  std::string email;
  std::string company;  // "" when not given
  std::string phone;
  std::string topic;
  std::string lead_id;
  std::string booking_id;
};

// To the visitor, 24 hours before.
struct BookingReminder {
  static constexpr std::string_view template_name = "booking_reminder";
  struct Secret {
    std::string cancel_url;
    std::string reschedule_url;  // "" in jobs queued before reschedules existed
  };
  BookingTimes when;
  std::string name;
  Secret secret;
};

// To the visitor who cancelled, with the CANCEL invitation.
struct BookingCancellation {
  static constexpr std::string_view template_name = "booking_cancellation";
  struct Secret {
    std::vector<Attachment> attachments;
  };
  std::string visitor_time;
  std::string name;
  Secret secret;
};

// To sales: a booking was cancelled.
struct BookingCancelled {
  static constexpr std::string_view template_name = "booking_cancelled";
  std::string business_time;
  std::string name;
  std::string email;
  std::string booking_id;
};

// To the visitor whose meeting moved (by their link, or by sales): the new
// time, the old one, and the updated invitation (same UID, SEQUENCE + 1).
struct BookingRescheduled {
  static constexpr std::string_view template_name = "booking_rescheduled";
  struct Secret {
    std::string cancel_url;
    std::string reschedule_url;
    std::vector<Attachment> attachments;  // the updated invitation (.ics)
  };
  BookingTimes when;
  std::string previous_time;  // in the visitor's zone
  std::string name;
  Secret secret;
};

// To sales and to the meeting's host: a booking moved. Reply-To is the
// visitor.
struct BookingMoved {
  static constexpr std::string_view template_name = "booking_moved";
  BookingTimes when;
  std::string previous_time;  // in booking.timezone
  std::string name;
  std::string email;
  std::string booking_id;
};

// Every payload type; email_template_names() and the unit tests walk this
// list, so a struct added here needs its template and a sample.
using EmailPayloads = std::tuple<EstimateConfirmation, LeadNotification, NewsletterConfirmation,
                                 BookingConfirmation, BookingNotification, BookingReminder, BookingCancellation,
                                 BookingCancelled, BookingRescheduled, BookingMoved>;

void to_json(nlohmann::json& json, const EstimateConfirmation& payload);
void from_json(const nlohmann::json& json, EstimateConfirmation& payload);
void to_json(nlohmann::json& json, const LeadNotification& payload);
void from_json(const nlohmann::json& json, LeadNotification& payload);
void to_json(nlohmann::json& json, const NewsletterConfirmation& payload);
void from_json(const nlohmann::json& json, NewsletterConfirmation& payload);
void to_json(nlohmann::json& json, const BookingConfirmation& payload);
void from_json(const nlohmann::json& json, BookingConfirmation& payload);
void to_json(nlohmann::json& json, const BookingNotification& payload);
void from_json(const nlohmann::json& json, BookingNotification& payload);
void to_json(nlohmann::json& json, const BookingReminder& payload);
void from_json(const nlohmann::json& json, BookingReminder& payload);
void to_json(nlohmann::json& json, const BookingCancellation& payload);
void from_json(const nlohmann::json& json, BookingCancellation& payload);
void to_json(nlohmann::json& json, const BookingCancelled& payload);
void from_json(const nlohmann::json& json, BookingCancelled& payload);
void to_json(nlohmann::json& json, const BookingRescheduled& payload);
void from_json(const nlohmann::json& json, BookingRescheduled& payload);
void to_json(nlohmann::json& json, const BookingMoved& payload);
void from_json(const nlohmann::json& json, BookingMoved& payload);

// The template of every payload type, in EmailPayloads' order.
std::span<const std::string_view> email_template_names();

// `payload` read into the struct of `template_name` and written back, so the
// template sees exactly what the struct holds. Throws PayloadError naming the
// template and the field, or std::invalid_argument for a name without a struct.
nlohmann::json checked_payload(std::string_view template_name, const nlohmann::json& payload);

}  // namespace leadgate::mail
