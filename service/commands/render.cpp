#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

#include "commands/commands.hpp"
#include "mail/mime.hpp"
#include "mail/outgoing.hpp"
#include "mail/payloads.hpp"
#include "mail/templates.hpp"

namespace leadgate::commands {

int render(const config::Config& config, const std::string& name, const std::string& data_file, bool mime) {
  auto templates = mail::EmailTemplates::load(config.paths.templates + "/email", mail::email_template_names());
  if (!templates->contains(name)) throw StartupError("no e-mail template \"" + name + "\" in " + config.paths.templates + "/email");
  std::ifstream in(data_file, std::ios::binary);
  if (!in) throw StartupError("cannot read " + data_file);
  std::ostringstream payload;
  payload << in.rdbuf();
  if (!nlohmann::json::accept(payload.str())) throw StartupError(data_file + " is not valid JSON");

  mail::Sender sender{mail::parse_mailbox(config.mail.from), config.http.public_url};
  auto message = mail::build_message(
      *templates, sender,
      mail::OutgoingJob{name, "recipient@example.com", std::nullopt, payload.str(), "preview",
                        std::chrono::system_clock::now()});
  if (mime) {
    std::cout << mail::compose(message);
  } else {
    std::cout << "Subject: " << message.subject << "\n\n--- text ---\n" << message.text << "\n--- html ---\n"
              << message.html;
  }
  return 0;
}

}  // namespace leadgate::commands
