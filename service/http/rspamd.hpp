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

#include "http/outbound.hpp"

namespace leadgate::http {

// What is checked: the form's free text as the body, the visitor as sender.
struct RspamdSubmission {
  std::string form;  // "estimate", "consultation", "newsletter": the Subject
  std::string email;
  std::string name;
  std::string text;  // the free text (message, topic), may be empty
  std::string client_address;
  std::optional<std::string> user_agent;
};

struct RspamdVerdict {
  double score = 0;           // rspamd's, may be negative
  double required_score = 0;  // its threshold for "reject" (15 by default)
};

class RspamdClient {
 public:
  using Done = std::function<void(std::optional<RspamdVerdict>)>;

  RspamdClient(OutboundClient& client, std::string url, std::chrono::milliseconds timeout);

  // `done` runs exactly once, on the client's thread or at once.
  void check(const RspamdSubmission& submission, Done done);

 private:
  OutboundClient& client_;
  std::string url_;
  std::chrono::milliseconds timeout_;
};

}  // namespace leadgate::http
