#pragma once
// Reads the fields of a queued e-mail's JSON payload, naming the one that is
// missing or of the wrong type. Mustache renders an absent variable as
// nothing, so without this a payload built with a renamed column would send
// an e-mail with a blank where the value should be; with it, the job fails
// with an error that says which field is wrong.

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace leadgate::mail {

// A payload that does not hold what its template needs.
class PayloadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PayloadReader {
 public:
  // `path` names the object in errors ("secret." for the object under
  // "secret"). Throws PayloadError if `object` is not a JSON object.
  explicit PayloadReader(const nlohmann::json& object, std::string path = {});

  // Each throws PayloadError when the key is absent or its value has another type.
  std::string text(std::string_view key) const;
  // The key must be there (a renamed column is caught), but may be null: a
  // nullable column of the row the payload is made from.
  std::optional<std::string> nullable_text(std::string_view key) const;
  // A field added after the first release: jobs queued by an earlier version
  // lack it, and read it as "".
  std::string added_text(std::string_view key) const;
  bool flag(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  std::vector<std::string> texts(std::string_view key) const;
  PayloadReader object(std::string_view key) const;
  std::vector<PayloadReader> objects(std::string_view key) const;

 private:
  const nlohmann::json& field(std::string_view key) const;
  [[noreturn]] void wrong_type(std::string_view key, std::string_view expected) const;

  const nlohmann::json& object_;
  std::string path_;
};

// A nullable text as JSON: the string, or null.
nlohmann::json nullable(const std::optional<std::string>& text);

}  // namespace leadgate::mail
