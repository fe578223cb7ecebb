#pragma once
// A form as the error page shows it again: every field with the value the
// visitor sent and the problem with it, so nothing has to be retyped.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/form_input.hpp"

namespace leadgate::handlers {

enum class FieldKind { text, email, tel, textarea, select, checkboxes, checkbox, hidden };

struct FieldSpec {
  std::string name;
  std::string label;
  FieldKind kind = FieldKind::text;
  bool required = false;
  std::vector<std::string> options;  // select and checkboxes
};

// `fields` followed by the hidden fields every public form carries:
// consent_version, the attribution fields and `_next` (and `_ts`).
std::vector<FieldSpec> with_common_fields(std::vector<FieldSpec> fields);

// Page data for templates/pages/error.html.mustache's `form` section.
// Hidden fields (attribution, `_next`, …) are carried only when sent; the
// honeypot is never echoed.
nlohmann::json echo_form(const std::string& action, const std::vector<FieldSpec>& fields,
                         const domain::FormInput& input, const std::vector<domain::FieldError>& errors);

}  // namespace leadgate::handlers
