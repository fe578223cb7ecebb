#pragma once
// HTML pages from templates/pages/NAME.html.mustache.

#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "render/template_set.hpp"

namespace leadgate::pages {

class Pages {
 public:
  // Throws std::runtime_error naming a missing or broken template.
  static std::unique_ptr<Pages> load(const std::string& directory, std::span<const std::string_view> required) {
    return std::unique_ptr<Pages>(new Pages(render::TemplateSet::load(directory, ".html.mustache", required)));
  }

  // Values are HTML-escaped by {{x}}.
  std::string render(std::string_view name, const nlohmann::json& data) const { return set_->render(name, data); }

 private:
  explicit Pages(std::unique_ptr<render::TemplateSet> set) : set_(std::move(set)) {}
  std::unique_ptr<render::TemplateSet> set_;
};

}  // namespace leadgate::pages
