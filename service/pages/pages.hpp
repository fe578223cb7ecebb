#pragma once
// HTML pages from templates/pages/NAME.html.mustache.

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

namespace leadgate::pages {

class Pages {
 public:
  // Compiles every template of `directory` and checks that each of
  // `required` exists. Throws std::runtime_error naming the missing or
  // broken template.
  static std::unique_ptr<Pages> load(const std::string& directory, std::span<const std::string_view> required);

  // Renders with `data`; values are HTML-escaped by {{x}}.
  std::string render(std::string_view name, const nlohmann::json& data) const;

  ~Pages();

 private:
  struct Compiled;
  std::map<std::string, std::unique_ptr<Compiled>, std::less<>> templates_;
};

}  // namespace leadgate::pages
