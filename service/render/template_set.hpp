#pragma once
// A directory of Mustache templates, compiled once, rendered from JSON.

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace leadgate::render {

class TemplateSet {
 public:
  // Compiles every file of `directory` whose name ends in `suffix` (e.g.
  // ".html.mustache"), keyed by the name before the suffix. Throws
  // std::runtime_error naming a broken template, or the first of `required`
  // that is missing.
  static std::unique_ptr<TemplateSet> load(const std::string& directory, std::string_view suffix,
                                           std::span<const std::string_view> required);

  ~TemplateSet();

  bool contains(std::string_view name) const;

  // {{x}} HTML-escapes, {{{x}}} does not. Throws std::logic_error for a name
  // that was not loaded.
  std::string render(std::string_view name, const nlohmann::json& data) const;

 private:
  TemplateSet() = default;
  struct Compiled;
  std::map<std::string, std::unique_ptr<Compiled>, std::less<>> templates_;
};

}  // namespace leadgate::render
