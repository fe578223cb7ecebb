#include "http/form_body.hpp"

#include <boost/url/parse_query.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "domain/error.hpp"
#include "domain/text.hpp"

namespace leadgate::http {

namespace {

using domain::Error;
using domain::ErrorKind;
using domain::FieldValue;
using domain::FormInput;
using domain::ValueType;

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

Error malformed(std::string detail) { return Error(ErrorKind::bad_request, std::move(detail)); }

Error too_many_fields() {
  return malformed("The body has more than " + std::to_string(max_form_fields) + " fields.");
}

// Only UTF-8 is accepted: a declared charset of anything else is refused
// rather than misread.
void check_charset(std::string_view parameters) {
  while (!parameters.empty()) {
    auto semicolon = parameters.find(';');
    auto parameter = trim_spaces(parameters.substr(0, semicolon));
    parameters = semicolon == std::string_view::npos ? std::string_view{} : parameters.substr(semicolon + 1);
    auto equals = parameter.find('=');
    if (equals == std::string_view::npos) continue;
    if (!iequals(trim_spaces(parameter.substr(0, equals)), "charset")) continue;
    auto value = trim_spaces(parameter.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    if (!iequals(value, "utf-8") && !iequals(value, "utf8")) {
      throw Error(ErrorKind::unsupported_media_type, "Only UTF-8 bodies are accepted.");
    }
  }
}

// JSON must be UTF-8, but SPEC §2 promises a field-level 422 for invalid
// UTF-8 in a value, like a form post gets. So each invalid byte is swapped
// for U+FDD0 (a noncharacter that no real text carries) before parsing, and
// swapped back to an invalid byte in the decoded strings, where field
// validation finds it.
constexpr std::string_view invalid_byte_marker = "\xEF\xB7\x90";

std::string mark_invalid_bytes(std::string_view body) {
  std::string repaired;
  repaired.reserve(body.size() + 16);
  std::size_t i = 0;
  while (i < body.size()) {
    // The longest valid sequence starting here is at most 4 bytes.
    std::size_t length = 1;
    auto lead = static_cast<unsigned char>(body[i]);
    if (lead >= 0xF0) length = 4;
    else if (lead >= 0xE0) length = 3;
    else if (lead >= 0xC0) length = 2;
    if (i + length <= body.size() && domain::is_valid_utf8(body.substr(i, length))) {
      repaired.append(body.substr(i, length));
      i += length;
    } else {
      repaired.append(invalid_byte_marker);
      ++i;
    }
  }
  return repaired;
}

void restore_invalid_bytes(std::string& text) {
  for (auto at = text.find(invalid_byte_marker); at != std::string::npos; at = text.find(invalid_byte_marker, at + 1)) {
    text.replace(at, invalid_byte_marker.size(), "\xFF");
  }
}

// Reads a JSON document into FormInput without building a DOM: the parser
// calls us back for each token, so a hostile body can't make us allocate a
// tree, and nesting is cut off early.
class FormSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  FormSax(FormInput& input, bool restore_invalid) : input_(input), restore_invalid_(restore_invalid) {}

  bool null() override {
    // A null value means "not given": the field stays absent.
    if (depth_ == 1) current_ = nullptr;
    if (depth_ == 2) mark_invalid();
    return top_level_seen();
  }
  bool boolean(bool value) override { return scalar(value ? "true" : "false", ValueType::boolean); }
  bool number_integer(number_integer_t value) override { return scalar(std::to_string(value), ValueType::number); }
  bool number_unsigned(number_unsigned_t value) override { return scalar(std::to_string(value), ValueType::number); }
  bool number_float(number_float_t, const string_t& text) override { return scalar(text, ValueType::number); }
  bool string(string_t& value) override {
    if (restore_invalid_) restore_invalid_bytes(value);
    return scalar(std::move(value), ValueType::text);
  }
  bool binary(binary_t&) override { return fail("Binary values are not accepted."); }

  bool start_object(std::size_t) override { return open(false); }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    if (depth_ == 0) return fail("The body must be a JSON object.");
    return open(true);
  }
  bool end_array() override { return close(); }

  bool key(string_t& name) override {
    if (depth_ != 1) return true;
    if (restore_invalid_) restore_invalid_bytes(name);
    if (input_.find(name) != nullptr) return fail("The field \"" + name + "\" appears twice.");
    if (input_.size() >= max_form_fields) return fail(too_many_fields().detail());
    current_ = &input_.at(name);
    return true;
  }

  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    if (problem_.empty()) problem_ = "The body is not valid JSON (at byte " + std::to_string(position) + ").";
    return false;
  }

  const std::string& problem() const { return problem_; }

 private:
  // Depth 1 is the top-level object; depth 2 an array value of a field.
  static constexpr int max_depth = 32;

  bool top_level_seen() {
    if (depth_ == 0) return fail("The body must be a JSON object.");
    return true;
  }

  bool scalar(std::string value, ValueType type) {
    if (!top_level_seen()) return false;
    if (current_ == nullptr) return true;
    if (depth_ == 1) {
      current_->values.push_back(std::move(value));
      current_->type = type;
    } else if (depth_ == 2 && type == ValueType::text && current_->type != ValueType::invalid) {
      current_->values.push_back(std::move(value));
    } else {
      mark_invalid();
    }
    return true;
  }

  bool open(bool is_array) {
    if (++depth_ > max_depth) return fail("The body is nested too deeply.");
    if (depth_ > 2 || (depth_ == 2 && !is_array)) mark_invalid();  // an object value, or nested arrays
    if (depth_ == 2 && current_ != nullptr && current_->values.empty() && current_->type != ValueType::invalid) {
      current_->type = ValueType::text;  // an array of strings, so far
      current_->is_list = is_array;
    }
    return true;
  }

  bool close() {
    --depth_;
    if (depth_ == 1) current_ = nullptr;
    return true;
  }

  void mark_invalid() {
    if (current_ == nullptr) return;
    current_->type = ValueType::invalid;
    current_->values.clear();
  }

  bool fail(std::string problem) {
    if (problem_.empty()) problem_ = std::move(problem);
    return false;
  }

  FormInput& input_;
  bool restore_invalid_;
  FieldValue* current_ = nullptr;
  int depth_ = 0;
  std::string problem_;
};

}  // namespace

BodyType body_type(std::string_view content_type) {
  auto media = trim_spaces(content_type.substr(0, content_type.find(';')));
  if (iequals(media, "application/json")) return BodyType::json;
  if (iequals(media, "application/x-www-form-urlencoded")) return BodyType::urlencoded;
  return BodyType::other;
}

// Browsers percent-encode everything, but `curl -d 'services[]=a'` and many
// hand-written clients send brackets, spaces or UTF-8 as they are. Those
// bytes are encoded here, so that Boost.URL's strict RFC 3986 parser decodes
// them like the encoded form; a malformed %-escape is still refused.
std::string encode_raw_bytes(std::string_view body) {
  static constexpr std::string_view allowed_in_query = "-._~!$&'()*+,;=:@/?%";
  std::string encoded;
  encoded.reserve(body.size());
  for (char c : body) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 && byte < 0x80) {
      encoded += c;
    } else if (allowed_in_query.find(c) != std::string_view::npos) {
      encoded += c;
    } else {
      static constexpr char hex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += hex[byte >> 4];
      encoded += hex[byte & 0x0F];
    }
  }
  return encoded;
}

domain::FormInput decode_urlencoded(std::string_view body) {
  auto encoded = encode_raw_bytes(body);
  auto parsed = boost::urls::parse_query(encoded);
  if (!parsed) throw malformed("The form body is not validly URL-encoded.");
  boost::urls::encoding_opts as_form(/*space_as_plus=*/true);
  FormInput input;
  for (auto param : *parsed) {
    if (param.key.empty() && !param.has_value) continue;  // "a=1&&b=2"
    std::string key = param.key.decode(as_form);
    // PHP-style list names ("services[]") are how many sites post checkboxes.
    if (key.ends_with("[]")) key.resize(key.size() - 2);
    if (input.find(key) == nullptr && input.size() >= max_form_fields) throw too_many_fields();
    input.at(key).values.push_back(param.has_value ? param.value.decode(as_form) : std::string{});
  }
  return input;
}

domain::FormInput decode_json_object(std::string_view body) {
  FormInput input;
  std::string repaired;
  bool has_invalid_bytes = !domain::is_valid_utf8(body);
  if (has_invalid_bytes) {
    repaired = mark_invalid_bytes(body);
    body = repaired;
  }
  FormSax sax(input, has_invalid_bytes);
  bool ok = nlohmann::json::sax_parse(body.begin(), body.end(), &sax, nlohmann::json::input_format_t::json,
                                      /*strict=*/true, /*ignore_comments=*/false);
  if (!ok) throw malformed(sax.problem().empty() ? "The body is not valid JSON." : sax.problem());
  return input;
}

domain::FormInput decode_form_body(std::string_view content_type, std::string_view body) {
  auto semicolon = content_type.find(';');
  auto type = body_type(content_type);
  if (type == BodyType::other) {
    throw Error(ErrorKind::unsupported_media_type,
                "Send application/json or application/x-www-form-urlencoded.");
  }
  if (semicolon != std::string_view::npos) check_charset(content_type.substr(semicolon + 1));
  return type == BodyType::json ? decode_json_object(body) : decode_urlencoded(body);
}

}  // namespace leadgate::http
