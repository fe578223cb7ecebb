#include "pages/pages.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "domain/digest.hpp"

namespace leadgate::pages {

namespace {

std::string read_asset(const std::string& directory, const std::string& name) {
  std::ifstream in(directory + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error(directory + "/" + name + " is missing");
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace

Pages::Pages(std::unique_ptr<render::TemplateSet> set, std::string stylesheet, std::string embed_script)
    : set_(std::move(set)),
      stylesheet_(std::move(stylesheet)),
      embed_script_(std::move(embed_script)),
      embed_script_hash_(domain::sha256_hex(embed_script_).substr(0, 16)) {}

std::unique_ptr<Pages> Pages::load(const std::string& directory, std::span<const std::string_view> required) {
  auto set = render::TemplateSet::load(directory, ".html.mustache", required);
  return std::unique_ptr<Pages>(
      new Pages(std::move(set), read_asset(directory, "style.css"), read_asset(directory, "embed.js")));
}

}  // namespace leadgate::pages
