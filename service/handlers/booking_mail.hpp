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

// The e-mails, and the booking.created webhook.
store::Notices booked_notices(const config::Config& config, const store::BookingInfo& booking,
                              const BookingExtras& extras, const std::string& cancel_url, date::sys_seconds now);

// The e-mails, and the booking.cancelled webhook.
store::Notices cancelled_notices(const config::Config& config, const store::BookingInfo& booking);

// "Tuesday 1 December 2026, 10:00 (Europe/Berlin)".
std::string readable_time(date::sys_seconds time, const date::time_zone* zone);

}  // namespace leadgate::handlers
