#include "store/pg_array.hpp"

namespace leadgate::store {

void ArrayLiteral::add(std::optional<std::string_view> value) {
  if (text_.size() > 1) text_ += ',';
  if (!value) {
    text_ += "NULL";  // unquoted: SQL NULL; a quoted "NULL" is the word
    return;
  }
  text_ += '"';
  for (char c : *value) {
    if (c == '"' || c == '\\') text_ += '\\';
    text_ += c;
  }
  text_ += '"';
}

std::string text_array(const std::vector<std::string>& items) {
  ArrayLiteral array;
  for (const auto& item : items) array.add(std::optional<std::string_view>(item));
  return array.text();
}

}  // namespace leadgate::store
