#pragma once
// HTML pages from templates/pages/NAME.html.mustache, and their one
// stylesheet, templates/pages/style.css.

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "render/template_set.hpp"

namespace leadgate::pages {

class Pages {
 public:
  // Throws std::runtime_error naming a missing or broken template.
  static std::unique_ptr<Pages> load(const std::string& directory, std::span<const std::string_view> required);

  // Values are HTML-escaped by {{x}}.
  std::string render(std::string_view name, const nlohmann::json& data) const { return set_->render(name, data); }

  const std::string& stylesheet() const { return stylesheet_; }

 private:
  Pages(std::unique_ptr<render::TemplateSet> set, std::string stylesheet)
      : set_(std::move(set)), stylesheet_(std::move(stylesheet)) {}
  std::unique_ptr<render::TemplateSet> set_;
  std::string stylesheet_;
};

}  // namespace leadgate::pages
