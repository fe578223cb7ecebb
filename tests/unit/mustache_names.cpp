#include "mustache_names.hpp"

#include <stdexcept>

namespace leadgate::testing {

namespace {

std::string trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

}  // namespace

std::vector<NameUse> names_used(std::string_view text) {
  std::vector<NameUse> uses;
  std::vector<Section> open;
  auto use = [&](std::string name) {
    if (name != ".") uses.push_back({std::move(name), open});
  };
  for (std::size_t at = text.find("{{"); at != std::string_view::npos; at = text.find("{{", at)) {
    bool triple = text.substr(at).starts_with("{{{");
    std::string_view close = triple ? "}}}" : "}}";
    auto begin = at + (triple ? 3 : 2);
    auto end = text.find(close, begin);
    if (end == std::string_view::npos) throw std::invalid_argument("unclosed tag: " + std::string(text.substr(at, 40)));
    auto tag = trimmed(text.substr(begin, end - begin));
    at = end + close.size();
    if (triple) {
      use(tag);
      continue;
    }
    char sigil = tag.empty() ? '\0' : tag.front();
    auto name = trimmed(std::string_view(tag).substr(1));
    switch (sigil) {
      case '!':
        break;
      case '>':
      case '=':
        throw std::invalid_argument("partials and delimiter changes are not read: {{" + tag + "}}");
      case '#':
      case '^':
        use(name);
        open.push_back({name, sigil == '^'});
        break;
      case '/':
        if (open.empty() || open.back().name != name) throw std::invalid_argument("unmatched {{/" + name + "}}");
        open.pop_back();
        break;
      case '&':
        use(name);
        break;
      default:
        use(tag);
    }
  }
  if (!open.empty()) throw std::invalid_argument("unclosed section {{#" + open.back().name + "}}");
  return uses;
}

}  // namespace leadgate::testing
