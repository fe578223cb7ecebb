#include "http/form_body.hpp"

#include <boost/url/parse_query.hpp>
#include <boost/json/basic_parser_impl.hpp>
// Boost.JSON header-only, compiled in this one translation unit (no library
// to link or ship in the image).
#include <boost/json/src.hpp>

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

// Reads a JSON document into FormInput without building a DOM: Boost.JSON's
// parser calls us back for each token with views into the body (a string
// is copied once, into its field), so a hostile body can't make us allocate
// a tree, and nesting is cut off early. Invalid UTF-8 in a value must get a
// field-level 422, as in a form post: the parser lets such bytes through
// (allow_invalid_utf8) and field validation finds them.
class FormHandler {
 public:
  using error_code = boost::system::error_code;
  using string_view = boost::json::string_view;
  static constexpr std::size_t max_object_size = std::size_t(-1);  // the handler counts fields itself
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  explicit FormHandler(FormInput& input) : input_(input) {}

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }

  bool on_object_begin(error_code& ec) { return open(false, ec); }
  bool on_object_end(std::size_t, error_code&) { return close(); }
  bool on_array_begin(error_code& ec) {
    if (depth_ == 0) return fail("The body must be a JSON object.", ec);
    return open(true, ec);
  }
  bool on_array_end(std::size_t, error_code&) { return close(); }

  bool on_key_part(string_view part, std::size_t, error_code&) {
    if (depth_ == 1) text_.append(part.data(), part.size());
    return true;
  }
  bool on_key(string_view part, std::size_t, error_code& ec) {
    if (depth_ != 1) return true;
    text_.append(part.data(), part.size());
    std::string name = std::move(text_);
    text_.clear();
    if (input_.find(name) != nullptr) return fail("The field \"" + name + "\" appears twice.", ec);
    if (input_.size() >= max_form_fields) return fail(too_many_fields().detail(), ec);
    current_ = &input_.at(name);
    return true;
  }

  bool on_string_part(string_view part, std::size_t, error_code&) {
    text_.append(part.data(), part.size());
    return true;
  }
  bool on_string(string_view part, std::size_t, error_code& ec) {
    text_.append(part.data(), part.size());
    bool ok = scalar(std::move(text_), ValueType::text, ec);
    text_.clear();
    return ok;
  }

  bool on_number_part(string_view part, error_code&) {
    text_.append(part.data(), part.size());
    return true;
  }
  bool on_int64(std::int64_t value, string_view, error_code& ec) { return number(std::to_string(value), ec); }
  bool on_uint64(std::uint64_t value, string_view, error_code& ec) { return number(std::to_string(value), ec); }
  bool on_double(double, string_view part, error_code& ec) {
    text_.append(part.data(), part.size());
    return number(std::move(text_), ec);
  }
  bool on_bool(bool value, error_code& ec) { return scalar(value ? "true" : "false", ValueType::boolean, ec); }
  bool on_null(error_code& ec) {
    // A null value means "not given": the field stays absent.
    if (depth_ == 1) current_ = nullptr;
    if (depth_ == 2) mark_invalid();
    return top_level_seen(ec);
  }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

  const std::string& problem() const { return problem_; }

 private:
  // Depth 1 is the top-level object; depth 2 an array value of a field.
  static constexpr int max_depth = 32;

  bool top_level_seen(error_code& ec) {
    if (depth_ == 0) return fail("The body must be a JSON object.", ec);
    return true;
  }

  bool number(std::string text, error_code& ec) {
    text_.clear();
    return scalar(std::move(text), ValueType::number, ec);
  }

  bool scalar(std::string value, ValueType type, error_code& ec) {
    if (!top_level_seen(ec)) return false;
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

  bool open(bool is_array, error_code& ec) {
    if (++depth_ > max_depth) return fail("The body is nested too deeply.", ec);
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

  bool fail(std::string problem, error_code& ec) {
    if (problem_.empty()) problem_ = std::move(problem);
    ec = boost::json::error::syntax;  // the parser stops; problem_ says why
    return false;
  }

  FormInput& input_;
  std::string text_;  // the key, string or number being read, when it comes in parts
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
  boost::json::parse_options options;
  options.allow_invalid_utf8 = true;
  options.max_depth = 64;  // the handler refuses deeper than it allows, with its own message
  boost::json::basic_parser<FormHandler> parser(options, input);
  boost::system::error_code error;
  auto parsed = parser.write_some(/*more=*/false, body.data(), body.size(), error);
  const auto& problem = parser.handler().problem();
  if (!problem.empty()) throw malformed(problem);
  if (error || parsed != body.size()) {
    throw malformed("The body is not valid JSON (at byte " + std::to_string(parsed) + ").");
  }
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
