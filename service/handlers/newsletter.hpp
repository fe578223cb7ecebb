#pragma once
// The newsletter (docs/api-behaviour.md, "Newsletter"): POST
// /v1/forms/newsletter, and the links in its e-mails, /v1/newsletter/confirm
// and /v1/newsletter/unsubscribe. A GET only ever shows a page; state changes
// on POST (mail scanners follow links).

#include "async/task.hpp"
#include "handlers/form_submission.hpp"
#include "handlers/services.hpp"
#include "http/router.hpp"

namespace leadgate::handlers {

class NewsletterHandlers {
 public:
  explicit NewsletterHandlers(Services& services);

  async::Task<http::Response> sign_up(const http::Request& request) const;
  async::Task<http::Response> confirm_page(const http::Request& request) const;
  async::Task<http::Response> confirm(const http::Request& request) const;
  async::Task<http::Response> unsubscribe_page(const http::Request& request) const;
  async::Task<http::Response> unsubscribe(const http::Request& request) const;

 private:
  http::Response page(std::string_view name, const std::string& action) const;

  Services& services_;
  FormPipeline form_;
};

}  // namespace leadgate::handlers
