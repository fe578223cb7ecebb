#pragma once
// The e-mails of a consultation booking: confirmation with a calendar
// invitation and a cancel link (visitor), notification (sales), a reminder
// 24 hours before, and on cancellation a CANCEL invitation (visitor) and a
// note to sales. Payload only: the templates are in templates/email/.

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "store/bookings.hpp"

namespace leadgate::handlers {

// What sales need beyond the booking row.
struct BookingExtras {
  std::optional<std::string> topic;
  std::optional<std::string> company;
  std::optional<std::string> phone;
};

// The links of a booking's e-mails; both carry the booking's one link token.
struct BookingLinks {
  std::string cancel_url;
  std::string reschedule_url;
};

BookingLinks booking_links(const config::Config& config, const std::string& token);

// The e-mails, and the booking.created webhook.
store::Notices booked_notices(const config::Config& config, const store::BookingInfo& booking,
                              const BookingExtras& extras, const BookingLinks& links, date::sys_seconds now);

// A move: the updated invitation to the visitor, a note to sales and to the
// host, a new reminder, the booking.rescheduled webhook and the calendar
// update (a removal from the previous host's calendar when the host changed).
store::Notices rescheduled_notices(const config::Config& config, const store::BookingInfo& before,
                                   const store::BookingInfo& after, const BookingLinks& links, date::sys_seconds now);

// The booking.no_show webhook.
store::Notices no_show_notices(const config::Config& config, const store::BookingInfo& booking);

// The e-mails, and the booking.cancelled webhook.
store::Notices cancelled_notices(const config::Config& config, const store::BookingInfo& booking);

// booking.meeting_url for this booking: the same link whenever it moves.
std::string meeting_url(const config::Config& config, const store::BookingInfo& booking);

// The booking as an event file for "add to calendar": the UID and SEQUENCE
// of its invitation e-mails, so a calendar that has both keeps one event.
std::string calendar_file(const config::Config& config, const store::BookingInfo& booking, const BookingLinks& links);

// "Tuesday 1 December 2026, 10:00 (Europe/Berlin)".
std::string readable_time(date::sys_seconds time, const date::time_zone* zone);

}  // namespace leadgate::handlers
