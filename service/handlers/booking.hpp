#pragma once
// Consultation booking (docs/api-behaviour.md, "Consultation booking"):
//   GET  /v1/booking/slots?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City[&host=ID]
//   POST /v1/forms/consultation (with an optional host)
//   GET and POST /v1/booking/cancel?token=…
//   GET and POST /v1/booking/reschedule?token=… (the same token)

#include <nlohmann/json.hpp>

#include "async/task.hpp"
#include "domain/consultation.hpp"
#include "domain/form_input.hpp"
#include "handlers/booking_hosts.hpp"
#include "handlers/form_submission.hpp"
#include "handlers/slot_days.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

// The new time of a reschedule (the visitor's or sales'): `slot_start`, RFC
// 3339. Throws a 422 on slot_start.
date::sys_seconds read_slot_start(const domain::FormInput& input);

// The new time as the admin page's Move form sends it: a datetime-local
// value ("2026-12-15T10:00") on the wall clock of the form's `tz`, which
// names the zone the page showed (UTC without one: what a page rendered
// before the field existed meant), or RFC 3339 as read_slot_start takes it.
// Throws a 422 on slot_start (a time a clock change skips or repeats
// included) or tz.
date::sys_seconds read_slot_start_in_zone(const domain::FormInput& input);

// A booking as a move answers it: {"id", "status": "booked", "start", "end"}.
nlohmann::json moved_json(const store::BookingInfo& booking);

// A booking placed: the answer (a replayed one is the first request's), and
// the visitor's link token (this request's: with a replay, the booking holds
// the first request's token).
struct PlacedBooking {
  store::Answer answer;
  std::string token;
};

class BookingHandlers {
 public:
  explicit BookingHandlers(Services& services);

  async::Task<http::Response> slots(const http::Request& request) const;
  async::Task<http::Response> book(const http::Request& request) const;
  async::Task<http::Response> cancel_page(const http::Request& request) const;
  async::Task<http::Response> cancel(const http::Request& request) const;
  async::Task<http::Response> reschedule_page(const http::Request& request) const;
  async::Task<http::Response> reschedule(const http::Request& request) const;

  // The booking itself, for /v1/forms/consultation and the /book page:
  // the host, the captcha, then the store. Throws domain::Error as is.
  async::Task<PlacedBooking> place(Submission& submission, domain::ConsultationRequest consultation) const;

  // The free slots of `hosts` on `days` in the visitor's `zone`, the
  // booking `except_booking` (being moved) not counting as busy.
  async::Task<std::vector<domain::Slot>> free_slots(const BookingHosts& hosts, DayRange days,
                                                    const date::time_zone* zone,
                                                    std::optional<std::string> except_booking) const;

  const date::time_zone* business_zone() const { return business_zone_; }
  const BookingHosts& hosts() const { return hosts_; }

 private:
  Services& services_;
  const date::time_zone* business_zone_;
  BookingHosts hosts_;
  FormPipeline form_;
};

}  // namespace leadgate::handlers
