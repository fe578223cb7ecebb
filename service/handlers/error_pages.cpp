#include "handlers/error_pages.hpp"

#include "http/negotiation.hpp"
#include "http/problem.hpp"

namespace leadgate::handlers {

Format format_for(const http::Request& request) { return http::wants_html(request) ? Format::html : Format::json; }

http::Response ErrorPages::render(const http::Request& request, const domain::Error& error,
                                  http::ErrorStyle style) const {
  Format format = style == http::ErrorStyle::json   ? Format::json
                  : style == http::ErrorStyle::html ? Format::html
                                                    : format_for(request);
  if (const auto* refusal = dynamic_cast<const FormRefusal*>(&error)) {
    return render_with_form(format, error, refusal->form());
  }
  return render(format, error);
}

http::Response ErrorPages::render(Format format, const domain::Error& error) const {
  return render_with_form(format, error, nullptr);
}

http::Response ErrorPages::invalid_link(int status) const {
  return http::Response::html(status, pages_.render("link_invalid", {{"expired", status == 410}}));
}

http::Response ErrorPages::render_with_form(Format format, const domain::Error& error,
                                            const nlohmann::json& form) const {
  if (format == Format::json) return http::problem_response(error);
  nlohmann::json data = {
      {"title", http::title_of(error.kind())},
      {"detail", error.detail()},
      {"has_errors", !error.field_errors().empty()},
      {"errors", nlohmann::json::array()},
      {"form", form.is_null() ? nlohmann::json(false) : form},
  };
  // Field labels come from the form when there is one.
  for (const auto& field : error.field_errors()) {
    std::string label = field.field;
    if (form.is_object()) {
      for (const auto& spec : form["fields"]) {
        if (spec["name"] == field.field) label = spec["label"].get<std::string>();
      }
    }
    data["errors"].push_back({{"field", field.field}, {"label", label}, {"message", field.message}});
  }
  auto response = http::Response::html(http::status_of(error.kind()), pages_.render("error", data));
  for (const auto& [name, value] : error.headers()) response.with_header(name, value);
  return response;
}

}  // namespace leadgate::handlers
