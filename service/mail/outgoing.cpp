#include "mail/outgoing.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <stdexcept>

namespace leadgate::mail {

namespace {

// Headers a job may add; anything else in the payload is ignored.
constexpr std::array<std::string_view, 2> allowed_headers = {"List-Unsubscribe", "List-Unsubscribe-Post"};

std::string domain_of(const std::string& address) {
  auto at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

}  // namespace

nlohmann::json template_data(const Sender& sender, const nlohmann::json& payload) {
  nlohmann::json data = payload;
  data["site_url"] = sender.public_url;
  data["sender_name"] = sender.from.display_name.empty() ? std::string("The team") : sender.from.display_name;
  return data;
}

Message build_message(const EmailTemplates& templates, const Sender& sender, const OutgoingJob& job) {
  auto payload = nlohmann::json::parse(job.payload);
  if (!payload.is_object()) throw std::invalid_argument("the job's payload is not a JSON object");
  auto rendered = templates.render(job.template_name, template_data(sender, payload));

  Message message;
  message.from = sender.from;
  message.to = job.recipient;
  message.reply_to = job.reply_to;
  message.subject = std::move(rendered.subject);
  message.text = std::move(rendered.text);
  message.html = std::move(rendered.html);
  message.message_id = job.message_id + "@" + domain_of(sender.from.address);
  message.date = job.queued_at;
  // Headers carrying tokens (List-Unsubscribe) sit under "secret", which the
  // outbox scrubs once the message is sent.
  const nlohmann::json secret = payload.value("secret", nlohmann::json::object());
  for (const nlohmann::json* holder : {static_cast<const nlohmann::json*>(&payload), &secret}) {
    auto headers = holder->find("headers");
    if (headers == holder->end() || !headers->is_object()) continue;
    for (auto name : allowed_headers) {
      auto value = headers->find(std::string(name));
      if (value != headers->end() && value->is_string()) message.extra_headers.emplace_back(name, value->get<std::string>());
    }
  }
  // Attachments too may carry links with tokens (a calendar invitation's
  // cancel link): they may sit under "secret" as well.
  for (const nlohmann::json* holder : {static_cast<const nlohmann::json*>(&payload), &secret}) {
    auto attachments = holder->find("attachments");
    if (attachments == holder->end() || !attachments->is_array()) continue;
    for (const auto& item : *attachments) {
      message.attachments.push_back(Attachment{item.value("filename", "attachment"),
                                               item.value("content_type", "application/octet-stream"),
                                               item.value("content", "")});
    }
  }
  return message;
}

}  // namespace leadgate::mail
