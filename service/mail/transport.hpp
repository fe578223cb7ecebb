#pragma once
// Where messages go, chosen by mail.url: smtp://, smtps:// (libcurl) or
// file://DIR (one .eml file per message, for development).

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace leadgate::mail {

enum class Delivery {
  sent,
  retry,        // SMTP 4xx for this message: try it again later
  unreachable,  // no connection, a timeout, 421, bad credentials: try later, and
                // the next messages would fail the same way
  reject,       // SMTP 5xx for this message or recipient: trying again cannot help
};

struct SendResult {
  Delivery delivery = Delivery::sent;
  std::string detail;  // the server's answer or the error, for the attempt record
};

struct Envelope {
  std::string from;       // address only
  std::vector<std::string> recipients;  // addresses only: To, then any Cc
  std::string name;       // unique per job, for file names
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual SendResult send(const Envelope& envelope, std::string_view message) = 0;
};

struct SmtpOptions {
  std::chrono::seconds timeout{30};  // every step: connect, each command, the upload
  std::string ca_file;               // trust these CAs instead of the system's
};

// Throws std::invalid_argument for an unsupported URL.
std::unique_ptr<Transport> make_transport(const std::string& url, const SmtpOptions& options);

std::unique_ptr<Transport> make_smtp_transport(const std::string& url, const SmtpOptions& options);
std::unique_ptr<Transport> make_file_transport(const std::string& directory);

}  // namespace leadgate::mail
