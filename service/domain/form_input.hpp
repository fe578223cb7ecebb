#pragma once
// A submitted form after decoding (JSON or urlencoded) and before validation.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leadgate::domain {

// What JSON said a value was; urlencoded values are always text.
enum class ValueType {
  text,
  number,   // kept as written, e.g. "1700000000"
  boolean,  // "true" or "false"
  invalid,  // an object or a nested array: no field accepts it
};

struct FieldValue {
  // One entry for a scalar, any number for a list (repeated keys or a JSON
  // array of strings).
  std::vector<std::string> values;
  ValueType type = ValueType::text;
  // A JSON array, even of one element: only list fields accept it.
  bool is_list = false;
};

class FormInput {
 public:
  // Forms have a dozen or two fields, so a flat vector searched linearly is
  // both the smallest and the fastest container here.
  const FieldValue* find(std::string_view name) const;

  // Returns the value for `name`, creating it empty if absent.
  FieldValue& at(std::string_view name);

  const std::vector<std::pair<std::string, FieldValue>>& fields() const { return fields_; }
  std::size_t size() const { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, FieldValue>> fields_;
};

}  // namespace leadgate::domain
