#pragma once
// HTML pages from templates/pages/NAME.html.mustache, their one
// stylesheet, templates/pages/style.css, and the embed script websites
// include, templates/pages/embed.js.

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

  const std::string& embed_script() const { return embed_script_; }
  // The first 16 hex digits of the script's SHA-256: its versioned file is
  // /assets/embed-HASH.js, cached for a year, so a new release is fetched
  // by every page that names the new file.
  const std::string& embed_script_hash() const { return embed_script_hash_; }
  std::string embed_script_file() const { return "embed-" + embed_script_hash_ + ".js"; }

 private:
  Pages(std::unique_ptr<render::TemplateSet> set, std::string stylesheet, std::string embed_script);
  std::unique_ptr<render::TemplateSet> set_;
  std::string stylesheet_;
  std::string embed_script_;
  std::string embed_script_hash_;
};

}  // namespace leadgate::pages
