#include "domain/form_input.hpp"

#include <algorithm>

namespace leadgate::domain {

const FieldValue* FormInput::find(std::string_view name) const {
  auto it = std::find_if(fields_.begin(), fields_.end(),
                         [name](const auto& field) { return field.first == name; });
  return it == fields_.end() ? nullptr : &it->second;
}

FieldValue& FormInput::at(std::string_view name) {
  auto it = std::find_if(fields_.begin(), fields_.end(),
                         [name](const auto& field) { return field.first == name; });
  if (it != fields_.end()) return it->second;
  return fields_.emplace_back(std::string(name), FieldValue{}).second;
}

}  // namespace leadgate::domain
