#pragma once
// rspamd as one more spam signal (forms.rspamd_url): a submission is sent
// to rspamd's HTTP API (POST /checkv2) as the message it would be if it had
// come by e-mail, and rspamd's score comes back. Calls run on the
// OutboundClient's thread, bounded by forms.rspamd_timeout_milliseconds; an
// rspamd that is down, slow or answers nonsense gives no verdict, and the
// submission is judged by its other signals: a spam engine's outage never
// loses a lead.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/outbound.hpp"

namespace leadgate::http {

// What is checked: the form's free text as the body, the visitor as sender.
struct RspamdSubmission {
  std::string form;  // "estimate", "consultation", "newsletter": the Subject
  std::string email;
  std::string name;
  std::string text;  // the free text (message, topic), may be empty
  std::string client_address;
  // Not sent: a browser's User-Agent in a message header reads to rspamd as
  // a forged mail client (FORGED_MUA_MOZILLA_MAIL_MSGID_UNKNOWN, 2.5 points
  // on every post), and rspamd's protocol has no header for it.
  std::optional<std::string> user_agent;
};

struct RspamdVerdict {
  double score = 0;           // rspamd's, may be negative
  double required_score = 0;  // its threshold for "reject" (15 by default)
};

class RspamdClient {
 public:
  using Done = std::function<void(std::optional<RspamdVerdict>)>;

  // `recipient`: the address the message is written to (mail.sales_inbox,
  // where a form post ends up), its To and envelope recipient.
  RspamdClient(OutboundClient& client, std::string url, std::chrono::milliseconds timeout,
               std::string recipient = "sales@localhost");

  // `done` runs exactly once, on the client's thread or at once.
  void check(const RspamdSubmission& submission, Done done);

 private:
  OutboundClient& client_;
  std::string url_;
  std::chrono::milliseconds timeout_;
  std::string recipient_;
};

// The pure steps of a check, apart for the unit tests.

// The submission as an RFC 5322 message with CRLF line ends: From the
// visitor (name as an RFC 2047 encoded word when not ASCII), To
// `recipient`, Subject "Website form: <form>", Date, Message-ID, a
// text/plain UTF-8 body in quoted-printable. `message_id` is without angle
// brackets.
std::string rspamd_message(const RspamdSubmission& submission, std::string_view recipient,
                           std::string_view message_id, std::chrono::system_clock::time_point date);

// The request headers of rspamd's protocol ("Name: value"): IP, the
// envelope From and Rcpt, and a Settings header that leaves out the checks
// of an SMTP delivery the message never had (see rspamd.cpp).
std::vector<std::string> rspamd_request_headers(const RspamdSubmission& submission, std::string_view recipient);

// rspamd's /checkv2 answer: its top-level "score" and "required_score", or
// nothing when either is missing or the answer is not JSON.
std::optional<RspamdVerdict> parse_rspamd_answer(std::string_view body);

}  // namespace leadgate::http
