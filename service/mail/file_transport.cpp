#include <filesystem>
#include <fstream>

#include "mail/transport.hpp"

namespace leadgate::mail {

namespace {

// Writes each message to DIR/NAME.eml through a temporary file and a rename,
// so a reader never sees half a message.
class FileTransport final : public Transport {
 public:
  explicit FileTransport(std::filesystem::path directory) : directory_(std::move(directory)) {}

  SendResult send(const Envelope& envelope, std::string_view message) override {
    std::error_code error;
    std::filesystem::create_directories(directory_, error);
    if (error) return {Delivery::unreachable, "cannot create " + directory_.string() + ": " + error.message()};
    auto final_path = directory_ / (envelope.name + ".eml");
    auto temporary = directory_ / ("." + envelope.name + ".tmp");
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out << message;
      if (!out) return {Delivery::retry, "cannot write " + temporary.string()};
    }
    std::filesystem::rename(temporary, final_path, error);
    if (error) return {Delivery::retry, "cannot rename to " + final_path.string() + ": " + error.message()};
    return {Delivery::sent, "written to " + final_path.string()};
  }

 private:
  std::filesystem::path directory_;
};

}  // namespace

std::unique_ptr<Transport> make_file_transport(const std::string& directory) {
  return std::make_unique<FileTransport>(directory);
}

std::unique_ptr<Transport> make_transport(const std::string& url, const SmtpOptions& options) {
  constexpr std::string_view file_scheme = "file://";
  if (url.starts_with(file_scheme)) return make_file_transport(url.substr(file_scheme.size()));
  if (url.starts_with("smtp://") || url.starts_with("smtps://")) return make_smtp_transport(url, options);
  throw std::invalid_argument("mail.url must start with smtp://, smtps:// or file://");
}

}  // namespace leadgate::mail
