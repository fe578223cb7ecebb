#pragma once
// Builds a domain::FormInput the way the body decoders would, so domain tests
// need no HTTP.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/form_input.hpp"

namespace leadgate::testing {

class FormBuilder {
 public:
  using ValueType = domain::ValueType;

  // One text value (what a urlencoded field or a JSON string gives).
  FormBuilder& set(std::string_view name, std::string value) { return put(name, {std::move(value)}, ValueType::text); }

  // Several values (repeated keys or a JSON array of strings).
  FormBuilder& list(std::string_view name, std::vector<std::string> values) {
    put(name, std::move(values), ValueType::text);
    fields_.back().second.is_list = true;
    return *this;
  }

  // A JSON scalar of another type: number, boolean, or invalid (an object).
  FormBuilder& typed(std::string_view name, ValueType type, std::string value = {}) {
    std::vector<std::string> values;
    if (type != ValueType::invalid) values.push_back(std::move(value));
    return put(name, std::move(values), type);
  }

  FormBuilder& without(std::string_view name) {
    std::erase_if(fields_, [name](const auto& field) { return field.first == name; });
    return *this;
  }

  domain::FormInput build() const {
    domain::FormInput input;
    for (const auto& [name, value] : fields_) input.at(name) = value;
    return input;
  }

 private:
  FormBuilder& put(std::string_view name, std::vector<std::string> values, ValueType type) {
    without(name);
    fields_.emplace_back(std::string(name), domain::FieldValue{std::move(values), type});
    return *this;
  }

  std::vector<std::pair<std::string, domain::FieldValue>> fields_;
};

// `count` copies of `unit`, e.g. repeat("\xC3\xA9", 200) for 200 characters
// of two bytes each.
inline std::string repeat(std::string_view unit, std::size_t count) {
  std::string out;
  out.reserve(unit.size() * count);
  for (std::size_t i = 0; i < count; ++i) out += unit;
  return out;
}

}  // namespace leadgate::testing
