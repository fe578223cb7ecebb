#pragma once
// The names a Mustache template looks up, read from its text, so a test can
// hold them against the data a template is given. Knows what our templates
// use: variables ({{x}}, {{{x}}}, {{&x}}), sections ({{#x}}, {{^x}}),
// dotted names, the implicit iterator {{.}} and comments.

#include <string>
#include <string_view>
#include <vector>

namespace leadgate::testing {

struct Section {
  std::string name;
  bool inverted = false;  // {{^x}}: shown when x is falsy, so it opens no context
};

struct NameUse {
  std::string name;               // as written, e.g. "secret.cancel_url"
  std::vector<Section> sections;  // the sections it sits in, outermost first
};

// Every name looked up, in order (a section's own name included, {{.}} not).
// Throws std::invalid_argument for what the templates do not use and this
// reader would get wrong: partials, delimiter changes, an unclosed tag or
// section.
std::vector<NameUse> names_used(std::string_view text);

}  // namespace leadgate::testing
