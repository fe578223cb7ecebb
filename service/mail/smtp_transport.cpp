#include <curl/curl.h>

#include <boost/url/parse.hpp>

#include <cstring>
#include <memory>
#include <stdexcept>

#include "mail/transport.hpp"

namespace leadgate::mail {

namespace {

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t room = size * count;
  std::size_t left = upload->data.size() - upload->offset;
  std::size_t chunk = std::min(room, left);
  std::memcpy(buffer, upload->data.data() + upload->offset, chunk);
  upload->offset += chunk;
  return chunk;
}

// Authentication problems (530, 534, 535, 538), and a server that will not
// encrypt the connection a password must travel on, are the operator's to
// fix, not the message's fault: retry them rather than give the message up.
bool is_credentials_problem(CURLcode code, long reply) {
  return code == CURLE_LOGIN_DENIED || code == CURLE_USE_SSL_FAILED || reply == 530 || reply == 534 ||
         reply == 535 || reply == 538;
}

// One libcurl handle for the life of the worker thread: libcurl keeps the
// SMTP connection open between messages and reuses it.
class SmtpTransport final : public Transport {
 public:
  SmtpTransport(const std::string& url, const SmtpOptions& options) {
    auto timeout = options.timeout;
    curl_.reset(curl_easy_init());
    if (!curl_) throw std::runtime_error("curl_easy_init failed");
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) throw std::invalid_argument("mail.url is not a valid URL");
    // Credentials are given to libcurl separately (decoded), never logged.
    username_ = parsed->user();
    password_ = parsed->password();
    bool implicit_tls = parsed->scheme() == "smtps";
    server_ = std::string(parsed->scheme()) + "://" + std::string(parsed->encoded_host_and_port());
    curl_easy_setopt(curl_.get(), CURLOPT_URL, server_.c_str());
    if (!username_.empty()) {
      curl_easy_setopt(curl_.get(), CURLOPT_USERNAME, username_.c_str());
      curl_easy_setopt(curl_.get(), CURLOPT_PASSWORD, password_.c_str());
    }
    // smtps:// is TLS from the first byte. smtp:// upgrades with STARTTLS
    // when the server offers it, and must when there is a password to send:
    // a server (or someone in between) that does not offer it would
    // otherwise receive the password in clear text.
    bool must_encrypt = implicit_tls || !username_.empty();
    curl_easy_setopt(curl_.get(), CURLOPT_USE_SSL, must_encrypt ? CURLUSESSL_ALL : CURLUSESSL_TRY);
    if (!options.ca_file.empty()) curl_easy_setopt(curl_.get(), CURLOPT_CAINFO, options.ca_file.c_str());
    curl_easy_setopt(curl_.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl_.get(), CURLOPT_CONNECTTIMEOUT, static_cast<long>(timeout.count()));
    // The whole exchange of one message, and a stall in the middle of it.
    curl_easy_setopt(curl_.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout.count() * 2));
    curl_easy_setopt(curl_.get(), CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl_.get(), CURLOPT_LOW_SPEED_TIME, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl_.get(), CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl_.get(), CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(curl_.get(), CURLOPT_ERRORBUFFER, error_);
  }

  SendResult send(const Envelope& envelope, std::string_view message) override {
    Upload upload{message};
    std::string from = "<" + envelope.from + ">";
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> recipients(nullptr, curl_slist_free_all);
    for (const auto& address : envelope.recipients) {
      auto* longer = curl_slist_append(recipients.get(), ("<" + address + ">").c_str());
      if (longer == nullptr) return {Delivery::retry, "out of memory for the recipient list"};
      recipients.release();
      recipients.reset(longer);
    }
    // A message to several (an owner, with the sales inbox copied) goes to
    // every recipient the server takes: one refused address (an owner who
    // left) must not keep it from the others. It fails only when all are
    // refused. (The option's name in libcurl before 8.2, with its typo.)
    curl_easy_setopt(curl_.get(), CURLOPT_MAIL_RCPT_ALLLOWFAILS, envelope.recipients.size() > 1 ? 1L : 0L);
    curl_easy_setopt(curl_.get(), CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl_.get(), CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(curl_.get(), CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl_.get(), CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
    error_[0] = '\0';
    CURLcode code = curl_easy_perform(curl_.get());
    long reply = 0;
    curl_easy_getinfo(curl_.get(), CURLINFO_RESPONSE_CODE, &reply);
    curl_easy_setopt(curl_.get(), CURLOPT_MAIL_RCPT, nullptr);
    if (code == CURLE_OK) return {Delivery::sent, "accepted with " + std::to_string(reply)};
    std::string detail = std::string(curl_easy_strerror(code));
    if (error_[0] != '\0') detail += ": " + std::string(error_);
    if (reply != 0) detail += " (SMTP " + std::to_string(reply) + ")";
    // A server that closes (421), never answered (0), refuses our login, or
    // times out before it took the envelope (its last reply the greeting or
    // an AUTH challenge) fails every message alike: the server is down, and
    // the message keeps its attempts. A timeout later (after RCPT or DATA)
    // may be this message's own doing and counts like any failure.
    bool timed_out_before_envelope = code == CURLE_OPERATION_TIMEDOUT && (reply == 220 || reply == 334);
    if (is_credentials_problem(code, reply) || timed_out_before_envelope || reply == 421 || reply == 0) {
      return {Delivery::unreachable, detail};
    }
    if (reply >= 500 && reply < 600) return {Delivery::reject, detail};
    return {Delivery::retry, detail};
  }

 private:
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl_{nullptr, curl_easy_cleanup};
  std::string server_;
  std::string username_;
  std::string password_;
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace

std::unique_ptr<Transport> make_smtp_transport(const std::string& url, const SmtpOptions& options) {
  return std::make_unique<SmtpTransport>(url, options);
}

}  // namespace leadgate::mail
