#pragma once
// Consultation booking (SPEC §2):
//   GET  /v1/booking/slots?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City
//   POST /v1/forms/consultation
//   GET and POST /v1/booking/cancel?token=…

#include "domain/slots.hpp"
#include "handlers/form_echo.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

// booking.* configuration as the slot rules of domain/slots.hpp.
domain::BookingRules booking_rules(const config::Config& config);

class BookingHandlers {
 public:
  explicit BookingHandlers(Services& services);

  void slots(const http::Request& request, http::Responder respond) const;
  void book(const http::Request& request, http::Responder respond) const;
  void cancel_page(const http::Request& request, http::Responder respond) const;
  void cancel(const http::Request& request, http::Responder respond) const;

 private:
  http::Response refusal(Format format, const domain::Error& error, const domain::FormInput& input) const;

  Services& services_;
  domain::BookingRules rules_;
  std::vector<FieldSpec> fields_;
};

}  // namespace leadgate::handlers
