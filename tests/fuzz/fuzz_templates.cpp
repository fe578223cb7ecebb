// Hostile values through the real templates (templates/pages and
// templates/email) and the message composer. Input: a JSON object, used
//  - as a form body: decode_json_object → parse_estimate → echo_form → the
//    error page, the path a visitor's rejected values take;
//  - as the data of every other page, and as the queued payload of every e-mail
//    (mail::build_message, then mail::compose); an e-mail whose payload
//    struct finds a field missing is refused (mail::PayloadError), so each
//    seed holds every field of the templates it is for. Besides the
//    templates' own keys, "_from_name" and "_reply_to" set the sender's
//    display name and the Reply-To address, and "email" the recipient.
// Invariants: HTML never carries a value's '<' unescaped (the seeds plant
// "<fuzz"); a subject is one line; the composed message has only CRLF line
// ends, only the headers compose writes (nothing like "Bcc:" injected) and
// exactly the MIME parts it should.

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "check.hpp"
#include "domain/estimate.hpp"
#include "handlers/error_pages.hpp"
#include "handlers/form_echo.hpp"
#include "http/form_body.hpp"
#include "mail/outgoing.hpp"
#include "mail/payloads.hpp"
#include "pages/pages.hpp"

namespace {

using namespace leadgate;
using nlohmann::json;

constexpr std::array<std::string_view, 11> page_names = {
    "booking_cancel",         "booking_cancelled",       "booking_reschedule", "booking_rescheduled",
    "error",                  "link_invalid",            "newsletter_confirm", "newsletter_confirmed",
    "newsletter_unsubscribe", "newsletter_unsubscribed", "thanks"};

const domain::EstimateOptions options{{"under-5k", "5k-15k"}, {"web-design", "seo"}};

// The estimate form as handlers/estimate.cpp shows it again (abridged).
const std::vector<handlers::FieldSpec> fields = {
    {"name", "Your name", handlers::FieldKind::text, true, {}},
    {"email", "E-mail", handlers::FieldKind::email, true, {}},
    {"phone", "Phone", handlers::FieldKind::tel, false, {}},
    {"message", "About your project", handlers::FieldKind::textarea, true, {}},
    {"budget", "Budget", handlers::FieldKind::select, false, options.budgets},
    {"services", "Services", handlers::FieldKind::checkboxes, false, options.services},
    {"consent_marketing", "Send me news", handlers::FieldKind::checkbox, false, {}},
    {"utm_source", "", handlers::FieldKind::hidden, false, {}},
};

const pages::Pages& page_set() {
  static const auto loaded = pages::Pages::load(LEADGATE_TEMPLATES_DIR "/pages", page_names);
  return *loaded;
}

const mail::EmailTemplates& email_set() {
  static const auto loaded =
      mail::EmailTemplates::load(LEADGATE_TEMPLATES_DIR "/email", mail::email_template_names());
  return *loaded;
}

void check_html(const std::string& html) { FUZZ_CHECK(html.find("<fuzz") == std::string::npos); }

std::size_t count(std::string_view text, const std::string& piece) {
  std::size_t n = 0;
  for (auto at = text.find(piece); at != std::string_view::npos; at = text.find(piece, at + 1)) ++n;
  return n;
}

void check_message(const std::string& message, std::size_t attachments) {
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\n') FUZZ_CHECK(i > 0 && message[i - 1] == '\r');
    if (message[i] == '\r') FUZZ_CHECK(i + 1 < message.size() && message[i + 1] == '\n');
  }
  // Each header line is a continuation or one of compose's headers, once.
  static const std::set<std::string_view> allowed = {
      "From", "To",           "Reply-To",         "Subject",         "Date",        "Message-ID",
      "MIME-Version", "Auto-Submitted", "List-Unsubscribe", "List-Unsubscribe-Post", "Content-Type"};
  auto end = message.find("\r\n\r\n");
  FUZZ_CHECK(end != std::string::npos);
  std::string_view headers(message.data(), end + 2);
  std::set<std::string_view> seen;
  while (!headers.empty()) {
    auto line = headers.substr(0, headers.find("\r\n"));
    headers.remove_prefix(line.size() + 2);
    FUZZ_CHECK(!line.empty());
    if (line.front() == ' ' || line.front() == '\t') continue;
    auto name = line.substr(0, line.find(':'));
    FUZZ_CHECK(allowed.contains(name) && seen.insert(name).second);
  }
  FUZZ_CHECK(seen.contains("Content-Type"));
  // The text and HTML parts (and attachments), and no delimiter a value
  // could have forged.
  auto at = message.find("multipart/alternative;\r\n boundary=\"");
  FUZZ_CHECK(at != std::string::npos);
  at = message.find('"', at) + 1;
  auto boundary = message.substr(at, message.find('"', at) - at);
  FUZZ_CHECK(count(message, "\r\n--" + boundary + "\r\n") == 2);
  FUZZ_CHECK(count(message, "\r\n--" + boundary + "--\r\n") == 1);
  // multipart/mixed: its opening, one per attachment and its close.
  if (attachments > 0) FUZZ_CHECK(count(message, "\r\n--=_leadgate_") == 3 + 1 + attachments + 1);
}

std::string string_or(const json& object, const char* key, std::string fallback) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

void error_page(std::string_view body) {
  domain::FormInput input;
  try {
    input = http::decode_json_object(body);
  } catch (const domain::Error&) {
    return;
  }
  auto parsed = domain::parse_estimate(input, options);
  auto* errors = std::get_if<std::vector<domain::FieldError>>(&parsed);
  if (errors == nullptr) return;
  auto form = handlers::echo_form("https://example.com/v1/forms/estimate", fields, input, *errors);
  handlers::ErrorPages error_pages(page_set());
  check_html(error_pages.render_with_form(handlers::Format::html, domain::Error::validation(*errors), form).body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  error_page(text);

  // Payloads are the service's own JSON: valid, and not nested deeply.
  bool too_deep = false;
  auto depth_limit = [&too_deep](int depth, json::parse_event_t, json&) {
    if (depth > 16) too_deep = true;
    return !too_deep;
  };
  auto values = json::parse(text, depth_limit, /*allow_exceptions=*/false);
  if (too_deep || !values.is_object()) return 0;

  for (auto name : page_names) {
    if (name != "error") check_html(page_set().render(name, values));
  }

  mail::Sender sender{{string_or(values, "_from_name", "Studio Nord"), "hello@example.com"}, "https://example.com"};
  for (auto name : mail::email_template_names()) {
    mail::OutgoingJob job{std::string(name), string_or(values, "email", "visitor@example.com"),
                          string_or(values, "_reply_to", "visitor@example.com"), std::string(text),
                          "0190e0d2-fuzz", std::chrono::system_clock::time_point(std::chrono::seconds(1767225600))};
    mail::Message message;
    try {
      message = mail::build_message(email_set(), sender, job);
    } catch (const mail::PayloadError&) {
      continue;  // a field missing or of another type: the worker fails the job
    }
    FUZZ_CHECK(message.subject.find_first_of("\r\n") == std::string::npos);
    check_html(message.html);
    check_message(mail::compose(message), message.attachments.size());
  }
  return 0;
}
