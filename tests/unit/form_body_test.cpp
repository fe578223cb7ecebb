// http::decode_form_body and its two decoders: request bodies → FormInput.

#include "http/form_body.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/text.hpp"

namespace {

using leadgate::domain::Error;
using leadgate::domain::ErrorKind;
using leadgate::domain::FieldValue;
using leadgate::domain::FormInput;
using leadgate::domain::ValueType;
using leadgate::http::decode_form_body;
using leadgate::http::decode_json_object;
using leadgate::http::decode_urlencoded;

using Strings = std::vector<std::string>;

constexpr std::string_view json_type = "application/json";
constexpr std::string_view form_type = "application/x-www-form-urlencoded";

// The kind of domain::Error `decode` throws, or nothing when it does not.
template <typename Decode>
std::optional<ErrorKind> error_kind(Decode decode) {
  try {
    decode();
  } catch (const Error& error) {
    return error.kind();
  }
  return std::nullopt;
}

std::optional<ErrorKind> json_error(std::string_view body) {
  return error_kind([&] { decode_json_object(body); });
}
std::optional<ErrorKind> form_error(std::string_view body) {
  return error_kind([&] { decode_urlencoded(body); });
}
std::optional<ErrorKind> content_type_error(std::string_view content_type) {
  return error_kind([&] { decode_form_body(content_type, "{}"); });
}

// The field `name` of `input`; fails the test when absent.
FieldValue field(const FormInput& input, std::string_view name) {
  const FieldValue* value = input.find(name);
  if (value == nullptr) {
    ADD_FAILURE() << "no field \"" << name << "\"";
    return {};
  }
  return *value;
}

Strings values(const FormInput& input, std::string_view name) { return field(input, name).values; }
ValueType type(const FormInput& input, std::string_view name) { return field(input, name).type; }

// `count` distinct fields, as a urlencoded body or a JSON object.
std::string many_form_fields(std::size_t count) {
  std::string body;
  for (std::size_t i = 0; i < count; ++i) body += (i ? "&f" : "f") + std::to_string(i) + "=1";
  return body;
}
std::string many_json_fields(std::size_t count) {
  std::string body = "{";
  for (std::size_t i = 0; i < count; ++i) body += (i ? ",\"f" : "\"f") + std::to_string(i) + "\":1";
  return body + "}";
}

std::string nested_arrays(std::size_t depth) {
  return "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
}

}  // namespace

// --- urlencoded -------------------------------------------------------------

TEST(form_body, urlencoded_plus_and_percent20_both_decode_to_a_space) {
  auto input = decode_urlencoded("name=Ana+Maria&company=Acme%20GmbH");
  EXPECT_EQ(values(input, "name"), Strings{"Ana Maria"});
  EXPECT_EQ(values(input, "company"), Strings{"Acme GmbH"});
  EXPECT_EQ(type(input, "name"), ValueType::text);
}

TEST(form_body, urlencoded_percent_escapes_decode_to_utf8_and_reserved_characters) {
  auto input = decode_urlencoded("name=Mar%C3%ADa&note=a%2Bb%26c%3Dd&plus=%2B");
  EXPECT_EQ(values(input, "name"), Strings{"Mar\u00EDa"});
  EXPECT_EQ(values(input, "note"), Strings{"a+b&c=d"});
  EXPECT_EQ(values(input, "plus"), Strings{"+"});
}

TEST(form_body, urlencoded_repeated_keys_become_a_list_in_order) {
  auto input = decode_urlencoded("services=api&name=Ana&services=design");
  EXPECT_EQ(values(input, "services"), (Strings{"api", "design"}));
  EXPECT_EQ(input.size(), 2u);
}

TEST(form_body, urlencoded_bracket_list_names_are_normalised) {
  auto input = decode_urlencoded("services%5B%5D=api&services%5b%5d=design&services=web_app");
  EXPECT_EQ(values(input, "services"), (Strings{"api", "design", "web_app"}));
  EXPECT_EQ(input.find("services[]"), nullptr);
}

TEST(form_body, urlencoded_key_without_value_is_an_empty_value) {
  auto input = decode_urlencoded("consent_marketing&name=");
  EXPECT_EQ(values(input, "consent_marketing"), Strings{""});
  EXPECT_EQ(values(input, "name"), Strings{""});
}

TEST(form_body, urlencoded_empty_pairs_are_skipped) {
  auto input = decode_urlencoded("a=1&&b=2&");
  EXPECT_EQ(input.size(), 2u);
  EXPECT_EQ(values(input, "b"), Strings{"2"});
}

TEST(form_body, urlencoded_empty_body_has_no_fields) { EXPECT_EQ(decode_urlencoded("").size(), 0u); }

TEST(form_body, urlencoded_malformed_percent_escapes_are_a_bad_request) {
  for (std::string_view body : {"name=%", "name=%4", "name=%zz", "na%GGme=x", "a=1&b=100%"}) {
    EXPECT_EQ(form_error(body), ErrorKind::bad_request) << body;
  }
}

TEST(form_body, urlencoded_invalid_utf8_is_kept_for_validation_to_refuse) {
  auto input = decode_urlencoded("name=Caf%E9");
  ASSERT_EQ(values(input, "name").size(), 1u);
  EXPECT_FALSE(leadgate::domain::is_valid_utf8(values(input, "name").front()));
}

TEST(form_body, urlencoded_200_fields_are_accepted_and_201_are_a_bad_request) {
  EXPECT_EQ(decode_urlencoded(many_form_fields(200)).size(), 200u);
  EXPECT_EQ(form_error(many_form_fields(201)), ErrorKind::bad_request);
}

TEST(form_body, urlencoded_repeated_keys_do_not_count_as_more_fields) {
  std::string body = many_form_fields(200);
  for (int i = 0; i < 50; ++i) body += "&f0=2";
  EXPECT_EQ(decode_urlencoded(body).size(), 200u);
}

// --- JSON ---------------------------------------------------------------------

TEST(form_body, json_strings_are_text_values) {
  auto input = decode_json_object(R"({"name":"Ana","message":"line\nnext \u00e9"})");
  EXPECT_EQ(values(input, "name"), Strings{"Ana"});
  EXPECT_EQ(type(input, "name"), ValueType::text);
  EXPECT_EQ(values(input, "message"), Strings{"line\nnext \xC3\xA9"});
}

TEST(form_body, json_numbers_are_kept_as_written) {
  auto input = decode_json_object(R"({"_ts":1700000000123,"neg":-5,"frac":1700000000.25,"exp":1e3})");
  EXPECT_EQ(values(input, "_ts"), Strings{"1700000000123"});
  EXPECT_EQ(values(input, "neg"), Strings{"-5"});
  EXPECT_EQ(values(input, "frac"), Strings{"1700000000.25"});
  EXPECT_EQ(values(input, "exp"), Strings{"1e3"});
  for (auto name : {"_ts", "neg", "frac", "exp"}) EXPECT_EQ(type(input, name), ValueType::number) << name;
}

TEST(form_body, json_booleans_are_boolean_values) {
  auto input = decode_json_object(R"({"yes":true,"no":false})");
  EXPECT_EQ(values(input, "yes"), Strings{"true"});
  EXPECT_EQ(values(input, "no"), Strings{"false"});
  EXPECT_EQ(type(input, "yes"), ValueType::boolean);
  EXPECT_EQ(type(input, "no"), ValueType::boolean);
}

TEST(form_body, json_null_means_the_field_was_not_given) {
  auto input = decode_json_object(R"({"company":null,"name":"Ana"})");
  const FieldValue* company = input.find("company");
  EXPECT_TRUE(company == nullptr || company->values.empty());
  EXPECT_EQ(values(input, "name"), Strings{"Ana"});
}

TEST(form_body, json_arrays_of_strings_are_lists) {
  auto input = decode_json_object(R"({"services":["api","design"],"none":[]})");
  EXPECT_EQ(values(input, "services"), (Strings{"api", "design"}));
  EXPECT_EQ(type(input, "services"), ValueType::text);
  EXPECT_TRUE(values(input, "none").empty());
}

TEST(form_body, json_arrays_holding_anything_but_strings_are_invalid) {
  auto input = decode_json_object(R"({"a":[1],"b":["x",true],"c":[null],"d":[["x"]],"e":[{"k":"v"}],"f":["x",[]]})");
  for (auto name : {"a", "b", "c", "d", "e", "f"}) {
    EXPECT_EQ(type(input, name), ValueType::invalid) << name;
    EXPECT_TRUE(values(input, name).empty()) << name;
  }
}

TEST(form_body, json_nested_objects_are_invalid_values) {
  auto input = decode_json_object(R"({"name":{"first":1},"after":"kept"})");
  EXPECT_EQ(type(input, "name"), ValueType::invalid);
  EXPECT_TRUE(values(input, "name").empty());
  EXPECT_EQ(values(input, "after"), Strings{"kept"});
}

TEST(form_body, json_keys_inside_nested_values_are_not_fields) {
  auto input = decode_json_object(R"({"a":{"b":{"c":1}}})");
  EXPECT_EQ(input.size(), 1u);
  EXPECT_EQ(input.find("b"), nullptr);
}

TEST(form_body, json_duplicate_keys_are_a_bad_request) {
  EXPECT_EQ(json_error(R"({"email":"a@example.com","email":"b@example.com"})"), ErrorKind::bad_request);
}

TEST(form_body, json_top_level_that_is_not_an_object_is_a_bad_request) {
  for (std::string_view body : {R"([{"name":"Ana"}])", R"("text")", "42", "true", "null", "[]"}) {
    EXPECT_EQ(json_error(body), ErrorKind::bad_request) << body;
  }
}

TEST(form_body, json_that_does_not_parse_is_a_bad_request) {
  for (std::string_view body :
       {"", "{", R"({"a":})", R"({"a":1,})", R"({'a':1})", R"({"a":1} {"b":2})", R"({"a":1 /* comment */})"}) {
    EXPECT_EQ(json_error(body), ErrorKind::bad_request) << body;
  }
}

TEST(form_body, json_whitespace_around_the_object_is_accepted) {
  // `curl --data-binary @lead.json` sends the file's final newline.
  for (std::string_view body : {"{\"a\":\"1\"}\n", " \t\r\n{\"a\":\"1\"} \r\n"}) {
    EXPECT_EQ(json_error(body), std::nullopt) << body;
  }
}

TEST(form_body, json_nested_up_to_32_levels_parses_and_deeper_is_a_bad_request) {
  EXPECT_EQ(json_error(nested_arrays(31)), std::nullopt);  // 31 + the top-level object
  EXPECT_EQ(json_error(nested_arrays(32)), ErrorKind::bad_request);
  EXPECT_EQ(json_error(nested_arrays(100000)), ErrorKind::bad_request);
}

TEST(form_body, json_200_fields_are_accepted_and_201_are_a_bad_request) {
  EXPECT_EQ(decode_json_object(many_json_fields(200)).size(), 200u);
  EXPECT_EQ(json_error(many_json_fields(201)), ErrorKind::bad_request);
}

TEST(form_body, json_invalid_utf8_in_a_string_value_decodes_to_invalid_utf8) {
  for (std::string_view bad : {"\xE9", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xFF\xFE"}) {
    auto input = decode_json_object("{\"name\":\"Caf" + std::string(bad) + "\",\"email\":\"a@example.com\"}");
    ASSERT_EQ(values(input, "name").size(), 1u);
    EXPECT_FALSE(leadgate::domain::is_valid_utf8(values(input, "name").front()));
    EXPECT_EQ(values(input, "email"), Strings{"a@example.com"});  // other fields unharmed
  }
}

TEST(form_body, json_invalid_utf8_keeps_the_valid_text_around_it) {
  auto input = decode_json_object("{\"name\":\"Mar\u00EDa \xE9!\"}");
  ASSERT_EQ(values(input, "name").size(), 1u);
  const std::string name = values(input, "name").front();
  EXPECT_TRUE(name.starts_with("Mar\u00EDa ")) << name;
  EXPECT_TRUE(name.ends_with("!")) << name;
}

TEST(form_body, json_invalid_utf8_outside_a_string_is_a_bad_request) {
  EXPECT_EQ(json_error("{\"name\":\"Ana\"\xFF}"), ErrorKind::bad_request);
}

// --- content types ------------------------------------------------------------

TEST(form_body, content_type_selects_the_decoder) {
  EXPECT_EQ(values(decode_form_body(json_type, R"({"a":"1"})"), "a"), Strings{"1"});
  EXPECT_EQ(values(decode_form_body(form_type, "a=1"), "a"), Strings{"1"});
}

TEST(form_body, utf8_charset_parameters_are_accepted_in_any_spelling) {
  for (std::string_view content_type :
       {"application/json; charset=utf-8", "application/json;charset=UTF-8", "Application/JSON ; Charset=\"utf-8\"",
        "application/json; charset=utf8", "application/json; boundary=x"}) {
    EXPECT_EQ(content_type_error(content_type), std::nullopt) << content_type;
  }
  EXPECT_EQ(values(decode_form_body("application/x-www-form-urlencoded; charset=UTF-8", "a=1"), "a"), Strings{"1"});
}

TEST(form_body, other_charsets_are_unsupported_media_types) {
  for (std::string_view content_type :
       {"application/json; charset=latin1", "application/json; charset=iso-8859-1",
        "application/x-www-form-urlencoded; charset=windows-1252", "application/json; charset=utf-16"}) {
    EXPECT_EQ(content_type_error(content_type), ErrorKind::unsupported_media_type) << content_type;
  }
}

TEST(form_body, other_media_types_are_unsupported) {
  for (std::string_view content_type : {"text/plain", "text/plain; charset=utf-8", "multipart/form-data; boundary=x",
                                        "application/xml", "", "application/jsonp", "application/json-seq"}) {
    EXPECT_EQ(content_type_error(content_type), ErrorKind::unsupported_media_type) << content_type;
  }
}

TEST(form_body, body_type_ignores_case_and_parameters) {
  using leadgate::http::body_type;
  using leadgate::http::BodyType;
  EXPECT_EQ(body_type("APPLICATION/JSON; charset=utf-8"), BodyType::json);
  EXPECT_EQ(body_type(" application/x-www-form-urlencoded "), BodyType::urlencoded);
  EXPECT_EQ(body_type("text/html"), BodyType::other);
}

TEST(form_body, json_objects_holding_strings_are_invalid_not_lists) {
  auto input = decode_json_object(R"({"name":{"first":"Ana"},"services":{"0":"api"},"empty":{}})");
  for (auto name : {"name", "services", "empty"}) EXPECT_EQ(type(input, name), ValueType::invalid) << name;
}

TEST(form_body, urlencoded_raw_brackets_spaces_and_utf8_are_accepted_as_curl_sends_them) {
  auto input = decode_urlencoded("services[]=api&services[]=design&name=Ana Mar\xC3\xAD" "a&note={x}|y");
  EXPECT_EQ(values(input, "services"), (Strings{"api", "design"}));
  EXPECT_EQ(values(input, "name"), Strings{"Ana Mar\xC3\xAD" "a"});
  EXPECT_EQ(values(input, "note"), Strings{"{x}|y"});
}

TEST(form_body, json_arrays_are_marked_as_lists_even_with_one_element) {
  auto input = decode_json_object(R"({"services":["api"],"name":"Ana"})");
  EXPECT_TRUE(field(input, "services").is_list);
  EXPECT_FALSE(field(input, "name").is_list);
}
