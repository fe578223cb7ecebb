#pragma once
// Consultation booking (docs/api-behaviour.md, "Consultation booking"):
//   GET  /v1/booking/slots?from=YYYY-MM-DD&to=YYYY-MM-DD&tz=Area/City[&host=ID]
//   POST /v1/forms/consultation (with an optional host)
//   GET and POST /v1/booking/cancel?token=…

#include "async/task.hpp"
#include "handlers/booking_hosts.hpp"
#include "handlers/form_submission.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

class BookingHandlers {
 public:
  explicit BookingHandlers(Services& services);

  async::Task<http::Response> slots(const http::Request& request) const;
  async::Task<http::Response> book(const http::Request& request) const;
  async::Task<http::Response> cancel_page(const http::Request& request) const;
  async::Task<http::Response> cancel(const http::Request& request) const;

 private:
  Services& services_;
  const date::time_zone* business_zone_;
  BookingHosts hosts_;
  FormPipeline form_;
};

}  // namespace leadgate::handlers
