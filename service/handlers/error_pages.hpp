#pragma once
// Renders a domain::Error for whoever asked: problem+json for scripts, an
// HTML page for a browser (docs/api-behaviour.md, "HTML or JSON"). Statuses
// and titles come from http/problem.hpp, the one mapping.

#include <nlohmann/json.hpp>

#include "domain/error.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "pages/pages.hpp"

namespace leadgate::handlers {

enum class Format { json, html };

Format format_for(const http::Request& request);

// A form post refused (bad fields, a slot taken, the database away): the
// error, and the form with the visitor's entries (form_echo.hpp) for the
// HTML page, so they fix what is wrong instead of typing everything again.
class FormRefusal : public domain::Error {
 public:
  FormRefusal(domain::Error error, nlohmann::json form) : domain::Error(std::move(error)), form_(std::move(form)) {}
  const nlohmann::json& form() const { return form_; }

 private:
  nlohmann::json form_;
};

class ErrorPages {
 public:
  explicit ErrorPages(const pages::Pages& pages) : pages_(pages) {}

  // The router's renderer: `style` as the route declared it. A FormRefusal
  // shows its form.
  http::Response render(const http::Request& request, const domain::Error& error,
                        http::ErrorStyle style = http::ErrorStyle::negotiated) const;
  http::Response render(Format format, const domain::Error& error) const;

  // As render(), and for HTML the page also shows `form` (see
  // form_echo.hpp) so the visitor fixes the fields without retyping.
  http::Response render_with_form(Format format, const domain::Error& error, const nlohmann::json& form) const;

  // The friendly page for a link from an e-mail that does not work: 404 for
  // one we do not know, 410 for one that expired or was used.
  http::Response invalid_link(int status) const;

 private:
  const pages::Pages& pages_;
};

}  // namespace leadgate::handlers
