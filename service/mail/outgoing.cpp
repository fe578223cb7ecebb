#include "mail/outgoing.hpp"

#include <nlohmann/json.hpp>

#include <array>

#include "mail/payloads.hpp"

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
  // Only what the template's struct holds goes on: a field it needs that the
  // payload lacks throws here, instead of rendering as a blank.
  auto payload = checked_payload(job.template_name, nlohmann::json::parse(job.payload));
  auto rendered = templates.render(job.template_name, template_data(sender, payload));

  Message message;
  message.from = sender.from;
  message.to = job.recipient;
  message.cc = job.cc;
  message.reply_to = job.reply_to;
  message.subject = std::move(rendered.subject);
  message.text = std::move(rendered.text);
  message.html = std::move(rendered.html);
  message.message_id = job.message_id + "@" + domain_of(sender.from.address);
  message.date = job.queued_at;
  // Headers and attachments may carry links with tokens (List-Unsubscribe, a
  // calendar invitation's cancel link): they sit under "secret", which the
  // outbox scrubs once the message is sent. The payload's struct has checked
  // their types.
  const auto secret = payload.value("secret", nlohmann::json::object());
  const auto headers = secret.value("headers", nlohmann::json::object());
  for (auto name : allowed_headers) {
    auto value = headers.find(std::string(name));
    if (value != headers.end()) message.extra_headers.emplace_back(name, value->get<std::string>());
  }
  for (const auto& item : secret.value("attachments", nlohmann::json::array())) {
    message.attachments.push_back(Attachment{item.at("filename").get<std::string>(),
                                             item.at("content_type").get<std::string>(),
                                             item.at("content").get<std::string>()});
  }
  return message;
}

}  // namespace leadgate::mail
