#pragma once
// Consultation booking (docs/api-behaviour.md, "Consultation booking"):
//   GET  /v1/booking/slots?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City
//   POST /v1/forms/consultation
//   GET and POST /v1/booking/cancel?token=…

#include "domain/slots.hpp"
#include "async/task.hpp"
#include "handlers/form_submission.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

// booking.* configuration as the slot rules of domain/slots.hpp.
domain::BookingRules booking_rules(const config::Config& config);

class BookingHandlers {
 public:
  explicit BookingHandlers(Services& services);

  async::Task<http::Response> slots(const http::Request& request) const;
  async::Task<http::Response> book(const http::Request& request) const;
  async::Task<http::Response> cancel_page(const http::Request& request) const;
  async::Task<http::Response> cancel(const http::Request& request) const;

 private:
  Services& services_;
  domain::BookingRules rules_;
  FormPipeline form_;
};

}  // namespace leadgate::handlers
