#pragma once
// PostgreSQL array literals ({"a",NULL,"b\"c"}) for passing many rows'
// values as one parameter each (store-internal).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace leadgate::store {

class ArrayLiteral {
 public:
  void add(std::optional<std::string_view> value);
  void add(bool value) { add(std::optional<std::string_view>(value ? "t" : "f")); }
  std::string text() const { return text_ + "}"; }

 private:
  std::string text_ = "{";
};

// A text[] literal of `items`.
std::string text_array(const std::vector<std::string>& items);

}  // namespace leadgate::store
