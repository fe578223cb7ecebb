#include "http/rspamd.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

#include "domain/ids.hpp"
#include "log/log.hpp"
#include "mail/mime.hpp"

namespace leadgate::http {

namespace {

// A /checkv2 answer lists every symbol with its options, and the URLs and
// addresses found: about 7 KB for a text with 200 links. Anything past this
// is not an answer worth waiting for.
constexpr std::size_t max_answer_bytes = 256 * 1024;

// The Message-ID's right-hand side: one that is neither the recipient's
// domain (MID_RHS_MATCH_TO, 1 point) nor a bare host name (MID_RHS_NOT_FQDN),
// and that no real mail carries.
constexpr std::string_view message_id_domain = "leadgate.invalid";

// A form post is not an SMTP delivery, so the checks of one would judge what
// we made up, not what the visitor did: there is no sending host to have a
// name (HFILTER_HOSTNAME_UNKNOWN, 2.5 points, and once_received's RDNS_NONE,
// 1), and the sender's domain never sent this message, so SPF, DKIM, DMARC
// and ARC (the "policies" group) would fail a visitor whose company's domain
// is strict (R_SPF_FAIL and DMARC_POLICY_REJECT, 3 points). rspamd applies
// per-request settings from this header. What stays: blocklists of the
// client's address, the sender domain's existence, the links and the text.
constexpr std::string_view settings_header =
    R"(Settings: {"groups_disabled": ["policies"], "symbols_disabled": ["ONCE_RECEIVED", "HFILTER_HOSTNAME_UNKNOWN"]})";

// A request header's value from what a visitor typed: without control
// characters, which would end the header and start another.
std::string header_value(std::string_view text) {
  std::string value;
  value.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) value += c;
  }
  return value;
}

}  // namespace

std::string rspamd_message(const RspamdSubmission& submission, std::string_view recipient,
                           std::string_view message_id, std::chrono::system_clock::time_point date) {
  std::string out;
  out.reserve(submission.text.size() * 11 / 10 + 512);
  auto header = [&out](std::string_view name, const std::string& value) {
    out.append(name).append(": ").append(value).append("\r\n");
  };
  header("From", mail::format_mailbox({submission.name, submission.email}, std::string_view("From: ").size()));
  header("To", mail::format_mailbox({"", std::string(recipient)}));
  header("Subject", mail::encode_header_text("Website form: " + submission.form, std::string_view("Subject: ").size()));
  header("Date", mail::rfc5322_date(date));
  header("Message-ID", "<" + header_value(message_id) + ">");
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=utf-8");
  header("Content-Transfer-Encoding", "quoted-printable");
  out += "\r\n";
  out += mail::quoted_printable(submission.text);
  if (!out.ends_with("\r\n")) out += "\r\n";
  return out;
}

std::vector<std::string> rspamd_request_headers(const RspamdSubmission& submission, std::string_view recipient) {
  std::vector<std::string> headers;
  // Without it rspamd would take the address it is called from (ours, a
  // local one, for which it skips its blocklists).
  if (auto ip = header_value(submission.client_address); !ip.empty()) headers.push_back("IP: " + ip);
  if (auto from = header_value(submission.email); !from.empty()) headers.push_back("From: " + from);
  headers.push_back("Rcpt: " + header_value(recipient));
  headers.emplace_back(settings_header);
  headers.emplace_back("Content-Type: message/rfc822");
  // libcurl would otherwise ask for "100 Continue" before a large body and
  // wait for it.
  headers.emplace_back("Expect:");
  return headers;
}

std::optional<RspamdVerdict> parse_rspamd_answer(std::string_view body) {
  auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (!parsed.is_object()) return std::nullopt;
  // find() rather than value(): a field of the wrong type must not throw on
  // the client's thread.
  auto score = parsed.find("score");
  auto required = parsed.find("required_score");
  if (score == parsed.end() || !score->is_number() || required == parsed.end() || !required->is_number()) {
    return std::nullopt;
  }
  RspamdVerdict verdict{score->get<double>(), required->get<double>()};
  if (!std::isfinite(verdict.score) || !std::isfinite(verdict.required_score)) return std::nullopt;
  return verdict;
}

RspamdClient::RspamdClient(OutboundClient& client, std::string url, std::chrono::milliseconds timeout,
                           std::string recipient)
    : client_(client), url_(std::move(url)), timeout_(timeout), recipient_(std::move(recipient)) {}

void RspamdClient::check(const RspamdSubmission& submission, Done done) {
  OutboundRequest request;
  request.url = url_ + "/checkv2";
  request.body = rspamd_message(submission, recipient_, domain::random_hex(16) + "@" + std::string(message_id_domain),
                                std::chrono::system_clock::now());
  request.headers = rspamd_request_headers(submission, recipient_);
  request.timeout = timeout_;
  request.max_answer_bytes = max_answer_bytes;
  // Only the URL and what went wrong are logged: the message and the
  // address are the visitor's.
  client_.post(std::move(request), [url = url_, done = std::move(done)](std::optional<OutboundAnswer> answer) {
    if (!answer) {
      log::warn("rspamd_unavailable", {{"url", url}, {"reason", "unreachable, too slow or too large an answer"}});
      done(std::nullopt);
      return;
    }
    if (answer->status != 200) {
      log::warn("rspamd_unavailable", {{"url", url}, {"reason", "status"}, {"status", answer->status}});
      done(std::nullopt);
      return;
    }
    auto verdict = parse_rspamd_answer(answer->body);
    if (!verdict) log::warn("rspamd_unavailable", {{"url", url}, {"reason", "no score in the answer"}});
    done(verdict);
  });
}

}  // namespace leadgate::http
