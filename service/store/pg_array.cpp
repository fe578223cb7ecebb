#include "store/pg_array.hpp"

namespace leadgate::store {

void ArrayLiteral::add(std::optional<std::string_view> value) {
  if (text_.size() > 1) text_ += ',';
  if (!value) {
    text_ += "NULL";  // unquoted: SQL NULL; a quoted "NULL" is the word
    return;
  }
  // Copy the runs between characters that need a backslash whole: this runs
  // for every column of every lead in a commit group.
  text_ += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < value->size(); ++i) {
    char c = (*value)[i];
    if (c != '"' && c != '\\') continue;
    text_.append(*value, run, i - run);
    text_ += '\\';
    run = i;  // the character itself starts the next run
  }
  text_.append(*value, run);
  text_ += '"';
}

std::string text_array(const std::vector<std::string>& items) {
  ArrayLiteral array;
  for (const auto& item : items) array.add(std::optional<std::string_view>(item));
  return array.text();
}

}  // namespace leadgate::store
