#pragma once
// Webhook deliveries (docs/email-and-webhooks.md, "Webhooks"): a POST of
// JSON to a configured target, signed with the target's secret so the
// receiver knows it is from us and fresh: X-Leadgate-Signature:
// t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">. Receivers should
// refuse a t older than five minutes.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "mail/transport.hpp"
#include "store/jobs.hpp"

namespace leadgate::mail {

// "t=…,v1=…" for `body` sent at `timestamp`.
std::string webhook_signature(const std::string& secret, std::int64_t timestamp, const std::string& body);

class WebhookSender {
 public:
  WebhookSender(std::vector<config::Webhook> targets, std::chrono::seconds timeout);
  ~WebhookSender();

  // 2xx: sent; 408, 429, 5xx, no connection or a timeout: retry; any other
  // answer, or a target no longer configured: reject.
  SendResult deliver(const store::ClaimedJob& job);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace leadgate::mail
