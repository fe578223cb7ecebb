#pragma once
// The newsletter (SPEC §2): POST /v1/forms/newsletter, and the links in its
// e-mails, /v1/newsletter/confirm and /v1/newsletter/unsubscribe. A GET only
// ever shows a page; state changes on POST (mail scanners follow links).

#include "handlers/form_echo.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

class NewsletterHandlers {
 public:
  explicit NewsletterHandlers(Services& services);

  void sign_up(const http::Request& request, http::Responder respond) const;
  void confirm_page(const http::Request& request, http::Responder respond) const;
  void confirm(const http::Request& request, http::Responder respond) const;
  void unsubscribe_page(const http::Request& request, http::Responder respond) const;
  void unsubscribe(const http::Request& request, http::Responder respond) const;

 private:
  http::Response page(std::string_view name, const std::string& action) const;

  Services& services_;
  std::vector<FieldSpec> fields_;
};

}  // namespace leadgate::handlers
