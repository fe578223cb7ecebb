#pragma once
// Renders a domain::Error for whoever asked: problem+json for scripts, an
// HTML page for a browser (SPEC §2 "Errors"). Statuses and titles come from
// http/problem.hpp, the one mapping.

#include <nlohmann/json.hpp>

#include "domain/error.hpp"
#include "http/message.hpp"
#include "pages/pages.hpp"

namespace leadgate::handlers {

enum class Format { json, html };

Format format_for(const http::Request& request);

class ErrorPages {
 public:
  explicit ErrorPages(const pages::Pages& pages) : pages_(pages) {}

  http::Response render(const http::Request& request, const domain::Error& error) const;
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
