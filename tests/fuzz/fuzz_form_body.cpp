// A request body through decode_form_body, then each form's validation.
// Input: the first byte picks the Content-Type ('0'..'9', see below), the
// rest is the body. Nothing may crash, hang or throw anything but
// domain::Error; a field that validates is valid single-line UTF-8.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "check.hpp"
#include "domain/consultation.hpp"
#include "domain/estimate.hpp"
#include "domain/newsletter.hpp"
#include "domain/text.hpp"
#include "http/form_body.hpp"

namespace {

using namespace leadgate;

constexpr std::array<std::string_view, 10> content_types = {
    "application/json",
    "application/json; charset=utf-8",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=UTF-8",
    "APPLICATION/JSON ; Charset=\"utf8\" ; foo",
    "application/json; charset=iso-8859-1",
    "application/x-www-form-urlencoded;charset=windows-1252",
    "text/plain; charset=utf-8",
    "application/json;charset=",
    "application/x-www-form-urlencoded; charset",
};

const domain::EstimateOptions options{{"under-5k", "5k-15k", "15k-plus"}, {"web-design", "seo", "branding"}};

void check_single_line(const std::string& text) {
  FUZZ_CHECK(domain::is_valid_utf8(text));
  FUZZ_CHECK(!domain::has_control_characters(text, domain::Lines::single));
}

void check_single_line(const std::optional<std::string>& text) {
  if (text) check_single_line(*text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  auto content_type = content_types[static_cast<std::uint8_t>(data[0] - '0') % content_types.size()];
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

  domain::FormInput input;
  try {
    input = http::decode_form_body(content_type, body);
  } catch (const domain::Error&) {
    return 0;  // 400 or 415: what a bad body should get
  }
  FUZZ_CHECK(input.size() <= http::max_form_fields);

  try {
    auto estimate = domain::parse_estimate(input, options);
    if (auto* lead = std::get_if<domain::EstimateSubmission>(&estimate)) {
      check_single_line(lead->name);
      check_single_line(lead->email);
      check_single_line(lead->company);
      check_single_line(lead->phone);
      FUZZ_CHECK(domain::is_valid_utf8(lead->message));
    }
  } catch (const domain::Error&) {
  }
  try {
    auto signup = domain::parse_newsletter(input);
    if (auto* ok = std::get_if<domain::NewsletterSignup>(&signup)) {
      check_single_line(ok->email);
      check_single_line(ok->name);
    }
  } catch (const domain::Error&) {
  }
  try {
    static const date::time_zone& business_zone = *date::locate_zone("Europe/Berlin");
    auto booking = domain::parse_consultation(input, business_zone);
    if (auto* ok = std::get_if<domain::ConsultationRequest>(&booking)) {
      check_single_line(ok->name);
      check_single_line(ok->email);
      FUZZ_CHECK(ok->timezone != nullptr);
    }
  } catch (const domain::Error&) {
  }
  return 0;
}
