// mail/outgoing and mail/templates: a queued job's payload rendered through
// templates written to a temporary directory (under the names of real ones,
// whose payload structs they use) into the Message that compose() turns into
// mail.

#include "mail/outgoing.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "mail/payloads.hpp"
#include "mail/templates.hpp"

namespace {

using namespace std::chrono;
using leadgate::mail::build_message;
using leadgate::mail::EmailTemplates;
using leadgate::mail::Mailbox;
using leadgate::mail::OutgoingJob;
using leadgate::mail::Sender;
using leadgate::mail::template_data;

// A directory of template files, removed when the test ends.
class TemplateDirectory {
 public:
  TemplateDirectory() {
    auto pattern = (std::filesystem::temp_directory_path() / "leadgate_templates_XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TemplateDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TemplateDirectory(const TemplateDirectory&) = delete;
  TemplateDirectory& operator=(const TemplateDirectory&) = delete;

  TemplateDirectory& write(const std::string& file, const std::string& content) {
    std::ofstream(path_ / file, std::ios::binary) << content;
    return *this;
  }
  // NAME.subject.mustache, NAME.txt.mustache and NAME.html.mustache.
  TemplateDirectory& add(const std::string& name, const std::string& subject, const std::string& text,
                         const std::string& html) {
    return write(name + ".subject.mustache", subject)
        .write(name + ".txt.mustache", text)
        .write(name + ".html.mustache", html);
  }
  std::string path() const { return path_.string(); }

  std::unique_ptr<EmailTemplates> load(std::span<const std::string_view> required = {}) const {
    return EmailTemplates::load(path(), required);
  }

 private:
  std::filesystem::path path_;
};

// The message of load() failing, or "<loaded>".
std::string load_error(const TemplateDirectory& directory, std::span<const std::string_view> required = {}) {
  try {
    directory.load(required);
    return "<loaded>";
  } catch (const std::runtime_error& error) {
    return error.what();
  }
}

const Sender sender{Mailbox{"Studio Lumen", "hello@lumen.example"}, "https://lumen.example"};

const system_clock::time_point queued_at = sys_days{2026y / March / 14} + hours{9} + minutes{26} + seconds{53};

// A short estimate_confirmation that shows every field the tests look at.
void add_greeting(TemplateDirectory& directory) {
  directory.add("estimate_confirmation", "Hello {{{name}}} from {{{sender_name}}}",
                "Hi {{{name}}},\nsee {{{site_url}}}/e/{{{lead_id}}}\n-- {{{sender_name}}}\n",
                "<p>Hi {{name}},</p><a href=\"{{site_url}}/e/{{lead_id}}\">see</a><p>{{sender_name}}</p>");
}

const std::string greeting = R"({"name": "Ana", "lead_id": "42"})";

OutgoingJob job_with(const std::string& payload, const std::string& template_name = "estimate_confirmation") {
  return OutgoingJob{template_name, "ana@example.com", std::string("owner@lumen.example"), payload,
                     "0190a7b2-7c3e-7d55-9a7e-3f1c2b4d5e6f", queued_at};
}

// The templates that carry headers and attachments, shortened.
void add_newsletter_confirmation(TemplateDirectory& directory) {
  directory.add("newsletter_confirmation", "Confirm", "{{{secret.confirm_url}}}\n",
                "<a href=\"{{secret.confirm_url}}\">confirm</a>");
}

void add_booking_cancellation(TemplateDirectory& directory) {
  directory.add("booking_cancellation", "Cancelled", "{{{name}}}: {{{visitor_time}}}\n", "<p>{{name}}</p>");
}

// A booking_cancellation payload with these attachments.
std::string cancellation_with(const std::string& attachments) {
  return R"({"name": "Ana", "visitor_time": "Monday", "secret": {"attachments": )" + attachments + "}}";
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace

// --- build_message ---------------------------------------------------------------

TEST(build_message, payload_fields_reach_the_templates_with_site_url_and_sender_name) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  auto message = build_message(*templates, sender, job_with(greeting));
  EXPECT_EQ(message.subject, "Hello Ana from Studio Lumen");
  EXPECT_EQ(message.text, "Hi Ana,\nsee https://lumen.example/e/42\n-- Studio Lumen\n");
  EXPECT_EQ(message.html, "<p>Hi Ana,</p><a href=\"https://lumen.example/e/42\">see</a><p>Studio Lumen</p>");
}

TEST(build_message, text_is_unescaped_and_html_is_escaped) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  auto message =
      build_message(*templates, sender, job_with(R"({"name": "Ana & <b>Co</b> \"AC\" O'Neil", "lead_id": "1"})"));
  EXPECT_EQ(message.subject, "Hello Ana & <b>Co</b> \"AC\" O'Neil from Studio Lumen");
  EXPECT_TRUE(contains(message.text, "Hi Ana & <b>Co</b> \"AC\" O'Neil,")) << message.text;
  EXPECT_TRUE(contains(message.html, "Hi Ana &amp; &lt;b&gt;Co&lt;/b&gt; &quot;AC&quot; O&apos;Neil,"))
      << message.html;
  EXPECT_FALSE(contains(message.html, "<b>"));
}

TEST(build_message, addresses_come_from_the_sender_and_the_job) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  auto message = build_message(*templates, sender, job_with(greeting));
  EXPECT_EQ(message.from.display_name, "Studio Lumen");
  EXPECT_EQ(message.from.address, "hello@lumen.example");
  EXPECT_EQ(message.to, "ana@example.com");
  ASSERT_TRUE(message.reply_to.has_value());
  EXPECT_EQ(*message.reply_to, "owner@lumen.example");

  auto job = job_with(greeting);
  job.reply_to.reset();
  EXPECT_FALSE(build_message(*templates, sender, job).reply_to.has_value());
}

TEST(build_message, message_id_is_the_jobs_left_part_at_the_senders_domain) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  auto message = build_message(*templates, sender, job_with(greeting));
  EXPECT_EQ(message.message_id, "0190a7b2-7c3e-7d55-9a7e-3f1c2b4d5e6f@lumen.example");
}

TEST(build_message, the_same_job_builds_the_same_message_id_and_date_every_time) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  auto first = build_message(*templates, sender, job_with(greeting));
  auto again = build_message(*templates, sender, job_with(greeting));
  EXPECT_EQ(first.message_id, again.message_id);
  EXPECT_EQ(first.date, again.date);
  EXPECT_EQ(leadgate::mail::compose(first), leadgate::mail::compose(again));
}

TEST(build_message, date_is_when_the_job_was_queued) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  auto message = build_message(*templates, sender, job_with(greeting));
  EXPECT_EQ(message.date, queued_at);
}

TEST(build_message, the_list_unsubscribe_headers_are_made_from_the_unsubscribe_url_and_nothing_else_is_taken) {
  TemplateDirectory directory;
  add_newsletter_confirmation(directory);
  auto templates = directory.load();
  auto message = build_message(*templates, sender, job_with(R"({
    "secret": {
      "confirm_url": "https://lumen.example/confirm?t=abc",
      "unsubscribe_url": "https://lumen.example/unsubscribe?t=abc",
      "headers": {
        "Bcc": "victim@example.com",
        "Cc": "victim@example.com",
        "To": "victim@example.com",
        "From": "ceo@bank.example",
        "List-Unsubscribe": "<https://evil.example/>",
        "X-Anything": "1"
      }
    },
    "headers": {"Bcc": "victim@example.com"}
  })", "newsletter_confirmation"));
  using Headers = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(message.extra_headers, (Headers{{"List-Unsubscribe", "<https://lumen.example/unsubscribe?t=abc>"},
                                            {"List-Unsubscribe-Post", "List-Unsubscribe=One-Click"}}));
  EXPECT_EQ(message.to, "ana@example.com");
  EXPECT_EQ(message.from.address, "hello@lumen.example");
}

TEST(build_message, a_template_without_headers_takes_none_from_its_payload) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  auto message = build_message(*templates, sender, job_with(R"({"name": "Ana", "lead_id": "42",
    "headers": {"List-Unsubscribe": "<x>", "Bcc": "victim@example.com"},
    "secret": {"headers": {"List-Unsubscribe": "<x>"}}})"));
  EXPECT_TRUE(message.extra_headers.empty());
}

TEST(build_message, attachments_are_taken_from_the_payloads_secret) {
  TemplateDirectory directory;
  add_booking_cancellation(directory);
  auto templates = directory.load();
  auto message = build_message(*templates, sender, job_with(cancellation_with(R"([
      {"filename": "invite.ics", "content_type": "text/calendar; method=REQUEST; charset=UTF-8",
       "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"},
      {"filename": "b.txt", "content_type": "text/plain", "content": "raw"}
    ])"), "booking_cancellation"));
  ASSERT_EQ(message.attachments.size(), 2u);
  EXPECT_EQ(message.attachments[0].filename, "invite.ics");
  EXPECT_EQ(message.attachments[0].content_type, "text/calendar; method=REQUEST; charset=UTF-8");
  EXPECT_EQ(message.attachments[0].content, "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
  EXPECT_EQ(message.attachments[1].filename, "b.txt");
  EXPECT_EQ(message.attachments[1].content, "raw");
}

TEST(build_message, an_attachment_that_is_incomplete_or_not_a_list_throws) {
  TemplateDirectory directory;
  add_booking_cancellation(directory);
  auto templates = directory.load();
  for (std::string attachments : {R"([{"content": "raw"}])", R"("x")", R"([["a.ics"]])"}) {
    EXPECT_THROW(build_message(*templates, sender, job_with(cancellation_with(attachments), "booking_cancellation")),
                 leadgate::mail::PayloadError)
        << attachments;
  }
}

TEST(build_message, no_attachments_for_a_template_without_them) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  EXPECT_TRUE(build_message(*templates, sender, job_with(greeting)).attachments.empty());
  EXPECT_TRUE(build_message(*templates, sender,
                            job_with(R"({"name": "Ana", "lead_id": "42", "attachments": [{"content": "x"}]})"))
                  .attachments.empty());
}

TEST(build_message, a_payload_without_a_field_its_template_uses_throws_naming_both) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  try {
    build_message(*templates, sender, job_with(R"({"name": "Ana", "id": "42"})"));
    FAIL() << "rendered without lead_id";
  } catch (const leadgate::mail::PayloadError& error) {
    EXPECT_STREQ(error.what(), "estimate_confirmation payload: \"lead_id\" is missing");
  }
}

TEST(build_message, a_payload_that_is_not_a_json_object_throws) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  for (std::string payload : {"[]", "[{\"name\": \"Ana\"}]", "\"Ana\"", "42", "null", "true", "{", "", "not json"}) {
    EXPECT_THROW(build_message(*templates, sender, job_with(payload)), std::exception) << payload;
  }
}

TEST(build_message, an_unknown_template_throws) {
  TemplateDirectory directory;
  add_greeting(directory);
  auto templates = directory.load();
  auto job = job_with(greeting);
  job.template_name = "nonexistent";
  EXPECT_THROW(build_message(*templates, sender, job), std::exception);
}

// --- template_data -----------------------------------------------------------------

TEST(template_data, adds_site_url_and_sender_name_to_the_payload) {
  auto data = template_data(sender, nlohmann::json{{"name", "Ana"}, {"total", 1200}});
  EXPECT_EQ(data["name"], "Ana");
  EXPECT_EQ(data["total"], 1200);
  EXPECT_EQ(data["site_url"], "https://lumen.example");
  EXPECT_EQ(data["sender_name"], "Studio Lumen");
}

TEST(template_data, the_senders_values_win_over_the_payloads) {
  auto data = template_data(sender, nlohmann::json{{"site_url", "https://evil.example"}, {"sender_name", "Bank"}});
  EXPECT_EQ(data["site_url"], "https://lumen.example");
  EXPECT_EQ(data["sender_name"], "Studio Lumen");
}

TEST(template_data, a_sender_without_a_display_name_still_has_a_sender_name) {
  Sender unnamed{Mailbox{"", "hello@lumen.example"}, "https://lumen.example"};
  auto data = template_data(unnamed, nlohmann::json::object());
  ASSERT_TRUE(data["sender_name"].is_string());
  EXPECT_FALSE(data["sender_name"].get<std::string>().empty());
}

// --- EmailTemplates::load --------------------------------------------------------

TEST(email_templates, a_complete_directory_loads) {
  TemplateDirectory directory;
  add_greeting(directory);
  directory.add("other", "s", "t", "h");
  constexpr std::array<std::string_view, 2> required = {"estimate_confirmation", "other"};
  auto templates = directory.load(required);
  EXPECT_TRUE(templates->contains("estimate_confirmation"));
  EXPECT_TRUE(templates->contains("other"));
  EXPECT_FALSE(templates->contains("missing"));
}

TEST(email_templates, a_name_with_a_missing_part_throws_naming_the_missing_file) {
  for (std::string_view missing : {".subject.mustache", ".txt.mustache", ".html.mustache"}) {
    TemplateDirectory directory;
    add_greeting(directory);
    for (std::string_view part : {".subject.mustache", ".txt.mustache", ".html.mustache"}) {
      if (part != missing) directory.write("partial" + std::string(part), "x");
    }
    auto error = load_error(directory);
    EXPECT_TRUE(contains(error, "partial" + std::string(missing))) << error;
  }
}

TEST(email_templates, a_required_name_that_is_absent_throws_naming_it) {
  TemplateDirectory directory;
  add_greeting(directory);
  constexpr std::array<std::string_view, 1> required = {"lead_notification"};
  auto error = load_error(directory, required);
  EXPECT_TRUE(contains(error, "lead_notification")) << error;
}

TEST(email_templates, a_broken_template_throws_naming_it) {
  for (std::string_view part : {".subject.mustache", ".txt.mustache", ".html.mustache"}) {
    TemplateDirectory directory;
    add_greeting(directory);
    directory.add("broken", "ok", "ok", "ok");
    directory.write("broken" + std::string(part), "Hello {{#x}} never closed");
    auto error = load_error(directory);
    EXPECT_TRUE(contains(error, "broken" + std::string(part))) << error;
  }
}

TEST(email_templates, an_unclosed_tag_is_broken) {
  TemplateDirectory directory;
  directory.add("broken", "ok", "Hello {{name", "ok");
  auto error = load_error(directory);
  EXPECT_TRUE(contains(error, "broken.txt.mustache")) << error;
}

TEST(email_templates, the_subject_collapses_line_breaks_and_white_space_into_one_line) {
  TemplateDirectory directory;
  directory.add("spaced", "\n  Your   estimate\r\n\tfor {{{name}}}\n\n", "t", "h");
  auto templates = directory.load();
  auto rendered = templates->render("spaced", nlohmann::json{{"name", "Ana\r\n  Ruiz\n"}});
  EXPECT_EQ(rendered.subject, "Your estimate for Ana Ruiz");
}

TEST(email_templates, text_and_html_keep_their_line_breaks) {
  TemplateDirectory directory;
  directory.add("lines", "s", "one\n\ntwo {{{x}}}\n", "<p>one</p>\n<p>{{x}}</p>\n");
  auto templates = directory.load();
  auto rendered = templates->render("lines", nlohmann::json{{"x", "a\nb"}});
  EXPECT_EQ(rendered.text, "one\n\ntwo a\nb\n");
  EXPECT_EQ(rendered.html, "<p>one</p>\n<p>a\nb</p>\n");
}
