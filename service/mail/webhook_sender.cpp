#include "mail/webhook_sender.hpp"

#include <curl/curl.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "domain/digest.hpp"

namespace leadgate::mail {

namespace {

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

std::string rfc3339(double unix_seconds) {
  auto time = std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(unix_seconds)));
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace

std::string webhook_signature(const std::string& secret, std::int64_t timestamp, const std::string& body) {
  auto stamp = std::to_string(timestamp);
  return "t=" + stamp + ",v1=" + domain::hmac_sha256_hex(secret, stamp + "." + body);
}

struct WebhookSender::Impl {
  std::vector<config::Webhook> targets;
  std::chrono::seconds timeout;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl{curl_easy_init(), curl_easy_cleanup};
};

WebhookSender::WebhookSender(std::vector<config::Webhook> targets, std::chrono::seconds timeout)
    : impl_(new Impl{std::move(targets), timeout}) {}

WebhookSender::~WebhookSender() = default;

SendResult WebhookSender::deliver(const store::ClaimedJob& job) {
  auto target = std::find_if(impl_->targets.begin(), impl_->targets.end(),
                             [&](const config::Webhook& t) { return t.url == job.recipient; });
  if (target == impl_->targets.end()) return {Delivery::reject, "the target is no longer configured"};

  // The delivery id is fixed per job: a receiver can drop a repeat.
  nlohmann::json envelope = {{"id", job.message_id},
                             {"event", job.template_name},
                             {"created_at", rfc3339(job.created_at)},
                             {"data", nlohmann::json::parse(job.payload)}};
  auto body = envelope.dump();
  auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());

  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, curl_slist_free_all);
  for (const std::string& header :
       {std::string("Content-Type: application/json"), std::string("User-Agent: leadgate-webhooks"),
        "X-Leadgate-Event: " + job.template_name, "X-Leadgate-Delivery: " + job.message_id,
        "X-Leadgate-Signature: " + webhook_signature(target->secret, now.count(), body)}) {
    headers.reset(curl_slist_append(headers.release(), header.c_str()));
  }
  CURL* curl = impl_->curl.get();
  curl_easy_setopt(curl, CURLOPT_URL, target->url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(impl_->timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(impl_->timeout.count() * 2));
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  if (code != CURLE_OK) return {Delivery::retry, std::string("webhook: ") + curl_easy_strerror(code)};
  auto detail = "webhook answered HTTP " + std::to_string(status);
  if (status >= 200 && status < 300) return {Delivery::sent, detail};
  if (status == 408 || status == 429 || status >= 500) return {Delivery::retry, detail};
  return {Delivery::reject, detail};
}

}  // namespace leadgate::mail
