#pragma once
// The UID of a booking's calendar event, the same in every invitation and
// in the host's own calendar (write-back): "<booking id>@<domain>", where
// the domain is that of mail.from's address, so that it is this business's
// and no one else's (RFC 5545 §3.8.4.7).

#include <string>
#include <string_view>

namespace leadgate::domain {

// `from_address` is an address only (hello@studio.example); one without
// "@" gives "localhost".
std::string booking_uid(std::string_view booking_id, std::string_view from_address);

// Whether `uid` is a booking_uid() made with `from_address`: a booking id
// (a UUID in lower case), "@", that domain (in any case). The calendar sync
// skips such events in a host's calendars: the booking itself already
// blocks its time, and its copy in the host's calendar must not block it a
// second time (nor keep blocking it after the booking moved or was
// cancelled and before the calendar caught up).
bool is_booking_uid(std::string_view uid, std::string_view from_address);

}  // namespace leadgate::domain
