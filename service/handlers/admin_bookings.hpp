#pragma once
// Sales' bookings (docs/sales-api.md, "Bookings"), role sales:
//   GET   /v1/admin/bookings?when=upcoming|past&limit=&cursor=: upcoming (the
//         default) soonest first, past latest first;
//   POST  /v1/admin/bookings/{id}/cancel: as the visitor's cancel link;
//   POST  /v1/admin/bookings/{id}/reschedule {"slot_start"}: as the
//         visitor's reschedule, to any host;
//   PATCH /v1/admin/bookings/{id} {"outcome": "attended|no_show"}.
// Each change answers with the booking and is written to the audit log.

#include <span>
#include <string_view>

#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

// What the API and the admin page's buttons do, by `actor`: each throws the
// error to answer (404 unknown, 410 started or cancelled, 409 taken, 422
// not a slot), and writes the audit entry.
async::Task<void> cancel_booking_as(Services& services, std::string id, store::Actor actor);
async::Task<void> reschedule_booking_as(Services& services, std::string id, date::sys_seconds start,
                                        store::Actor actor);

// The periods a bookings listing offers (?when=): upcoming, the default,
// and past.
std::span<const std::string_view> booking_periods();

async::Task<http::Response> list_bookings(Services& services, const http::Request& request);
async::Task<http::Response> cancel_booking(Services& services, const http::Request& request);
async::Task<http::Response> reschedule_booking(Services& services, const http::Request& request);
async::Task<http::Response> patch_booking(Services& services, const http::Request& request);

}  // namespace leadgate::handlers
