#include "pages/pages.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace leadgate::pages {

std::unique_ptr<Pages> Pages::load(const std::string& directory, std::span<const std::string_view> required) {
  auto set = render::TemplateSet::load(directory, ".html.mustache", required);
  std::ifstream in(directory + "/style.css", std::ios::binary);
  if (!in) throw std::runtime_error("stylesheet " + directory + "/style.css is missing");
  std::ostringstream stylesheet;
  stylesheet << in.rdbuf();
  return std::unique_ptr<Pages>(new Pages(std::move(set), stylesheet.str()));
}

}  // namespace leadgate::pages
