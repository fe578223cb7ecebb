#pragma once
// The booking page leadgate serves, the target of "Schedule a consultation"
// (docs/website.md, "The booking page"). Every step is a plain page, so it
// works without scripts; embed.js only lists the slots in the browser's zone.
//   GET  /book[?tz=Area/City][&host=ID]  the free slots of the next 14 days
//   POST /book                            asks for what is missing, then books
//   GET  /book/confirmed?token=…          the meeting, add to calendar, move, cancel
//   GET  /book/event.ics?token=…          the meeting as an .ics file

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "async/task.hpp"
#include "handlers/booking.hpp"
#include "handlers/captcha_widget.hpp"
#include "handlers/services.hpp"
#include "http/message.hpp"

namespace leadgate::handlers {

// Who is booking what so far: the zone the slots are shown in, the host
// asked for, and the entries a visitor brought from an earlier step or a
// website's form.
struct BookingVisit {
  const date::time_zone* zone = nullptr;
  std::optional<std::string> host;
  domain::FormInput entries;
};

class BookingPage {
 public:
  BookingPage(Services& services, std::shared_ptr<const BookingHandlers> booking);

  async::Task<http::Response> show(const http::Request& request) const;
  async::Task<http::Response> step(const http::Request& request) const;
  async::Task<http::Response> confirmed(const http::Request& request) const;
  async::Task<http::Response> event(const http::Request& request) const;

 private:
  async::Task<http::Response> slots_page(const BookingVisit& visit, int status, std::string notice) const;
  http::Response details_page(const BookingVisit& visit, date::sys_seconds slot, int status,
                              const std::vector<domain::FieldError>& errors) const;
  http::Response page(int status, std::string_view name, nlohmann::json data) const;
  http::Response page(int status, std::string_view name, nlohmann::json data, const std::string& policy) const;
  nlohmann::json visit_data(const BookingVisit& visit) const;

  Services& services_;
  std::shared_ptr<const BookingHandlers> booking_;
  FormPipeline form_;
  std::optional<CaptchaWidget> captcha_;  // on the details page, where the booking is posted
  std::string content_security_policy_;
  std::string details_content_security_policy_;  // with the captcha provider's origins, when on
  nlohmann::json zone_groups_;  // every zone of the tz database, by region, for the select
};

}  // namespace leadgate::handlers
