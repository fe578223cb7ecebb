#pragma once
// A queued job's payload, rendered into the message a recipient gets.

#include <nlohmann/json_fwd.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "mail/mime.hpp"
#include "mail/templates.hpp"

namespace leadgate::mail {

struct Sender {
  Mailbox from;            // mail.from
  std::string public_url;  // http.public_url, for links
};

struct OutgoingJob {
  std::string template_name;
  std::string recipient;
  std::optional<std::string> reply_to;
  std::string payload;     // JSON object text, as queued
  std::string message_id;  // left part, stable per job
  std::chrono::system_clock::time_point queued_at;
  std::vector<std::string> cc = {};  // copied (mail/addressing.hpp)
};

// The template data: the payload's fields, plus `site_url` and
// `sender_name` for every template.
nlohmann::json template_data(const Sender& sender, const nlohmann::json& payload);

// Reads the job's payload into its template's struct (mail/payloads.hpp),
// renders the template from it and assembles the message. Attachments
// ([{filename, content_type, content}]) and headers (only List-Unsubscribe
// and List-Unsubscribe-Post) are taken from the payload's "secret" (removed
// from the outbox once sent: links with tokens belong there). The Date is
// the time the job was queued and the Message-ID is fixed per job, so a
// message sent twice after a crash is recognisably the same message.
// Throws PayloadError naming the template and the field for a payload that
// lacks one the template uses, std::exception for one that is not JSON or a
// template name without a struct.
Message build_message(const EmailTemplates& templates, const Sender& sender, const OutgoingJob& job);

}  // namespace leadgate::mail
