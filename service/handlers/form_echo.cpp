#include "handlers/form_echo.hpp"

#include <algorithm>

#include "domain/field_reader.hpp"
#include "domain/text.hpp"

namespace leadgate::handlers {

namespace {

// Values are echoed only when they are valid UTF-8; the error list says
// what was wrong with the others.
std::vector<std::string> sent_values(const domain::FormInput& input, const std::string& name) {
  std::vector<std::string> values;
  if (const auto* field = input.find(name)) {
    for (const auto& value : field->values) {
      if (domain::is_valid_utf8(value)) values.push_back(value);
    }
  }
  return values;
}

std::string first_error(const std::vector<domain::FieldError>& errors, const std::string& name) {
  auto it = std::find_if(errors.begin(), errors.end(), [&](const auto& e) { return e.field == name; });
  return it == errors.end() ? std::string{} : it->message;
}

std::string_view input_type(FieldKind kind) {
  switch (kind) {
    case FieldKind::email: return "email";
    case FieldKind::tel: return "tel";
    default: return "text";
  }
}

}  // namespace

std::vector<FieldSpec> with_common_fields(std::vector<FieldSpec> fields) {
  for (const char* name : {"consent_version", "page_url", "referrer", "utm_source", "utm_medium", "utm_campaign",
                           "utm_term", "utm_content", "_ts", "_next"}) {
    fields.push_back({name, "", FieldKind::hidden, false, {}});
  }
  return fields;
}

nlohmann::json echo_form(const std::string& action, const std::vector<FieldSpec>& fields,
                         const domain::FormInput& input, const std::vector<domain::FieldError>& errors) {
  nlohmann::json rendered = nlohmann::json::array();
  for (const auto& spec : fields) {
    auto values = sent_values(input, spec.name);
    auto error = first_error(errors, spec.name);
    // A hidden field in error that has a label (a booking's slot) is shown,
    // even empty: the visitor can then change it, and the error list's link
    // lands on it. Other hidden fields (attribution) stay hidden; the list
    // names them.
    bool shown_hidden = spec.kind == FieldKind::hidden && !error.empty() && !spec.label.empty();
    bool hidden = spec.kind == FieldKind::hidden && !shown_hidden;
    if (hidden && values.empty()) continue;
    nlohmann::json field = {
        {"name", spec.name},
        {"label", spec.label.empty() ? spec.name : spec.label},
        {"required", spec.required},
        {"value", values.empty() ? std::string{} : values.front()},
        {"error", error.empty() ? nlohmann::json(false) : nlohmann::json(error)},
        {"input_type", input_type(spec.kind)},
        {"hidden", hidden},
        {"text", shown_hidden || spec.kind == FieldKind::text || spec.kind == FieldKind::email ||
                     spec.kind == FieldKind::tel},
        {"textarea", spec.kind == FieldKind::textarea},
        {"select", spec.kind == FieldKind::select},
        {"checkboxes", spec.kind == FieldKind::checkboxes},
        {"checkbox", spec.kind == FieldKind::checkbox},
        {"checked", false},
        {"options", nlohmann::json::array()},
    };
    if (spec.kind == FieldKind::checkbox && !values.empty()) {
      field["checked"] = domain::parse_flag(values.front()).value_or(false);
    }
    for (const auto& option : spec.options) {
      bool selected = std::find(values.begin(), values.end(), option) != values.end();
      field["options"].push_back({{"value", option}, {"selected", selected}});
    }
    rendered.push_back(std::move(field));
  }
  return {{"action", action}, {"fields", std::move(rendered)}};
}

}  // namespace leadgate::handlers
