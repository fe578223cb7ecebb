#pragma once
// `leadgate worker`'s loop: claim due jobs (SKIP LOCKED + lease), send each
// outside any transaction, record the outcome, sleep until NOTIFY or the
// poll interval. Any number of workers may run against one database.

#include <atomic>
#include <chrono>
#include <random>
#include <string>

#include "calendar/write_back.hpp"
#include "mail/addressing.hpp"
#include "mail/outgoing.hpp"
#include "mail/templates.hpp"
#include "mail/transport.hpp"
#include "mail/webhook_sender.hpp"
#include "metrics/metrics.hpp"
#include "store/jobs.hpp"

namespace leadgate::mail {

struct WorkerSettings {
  std::string worker_id;  // unique per process: host, pid and a random part
  std::string lane = "email";  // the kind of job this loop claims: "email", "webhook" or "calendar"
  int batch_size = 16;
  int lease_seconds = 300;
  int max_attempts = 8;
  double per_second = 20;
  std::chrono::seconds retry_base{30};
  std::chrono::seconds retry_max{3600};
  std::chrono::milliseconds poll_interval{1000};
  Sender sender;
  SalesRouting routing;
};

// Seconds until attempt `attempts + 1`: base · 2^(attempts−1), capped at
// `max`, times a jitter factor in [0.5, 1.5) so that many failed jobs do not
// come back at the same instant.
double retry_delay(int attempts, std::chrono::seconds base, std::chrono::seconds max, double jitter);

// Whether a batch claimed `since_claim` ago may start another job: only in
// the first half of its lease. A batch of slow sends (a CRM that times out,
// 30 s a job) would otherwise outlive the lease, and another worker would
// take over and send the batch's tail a second time; the rest is handed
// back instead, and claimed again with a fresh lease.
bool lease_allows_another(std::chrono::steady_clock::duration since_claim, int lease_seconds);

std::string new_worker_id();

class Worker {
 public:
  Worker(WorkerSettings settings, store::JobQueue& queue, const EmailTemplates& templates, Transport& transport,
         WebhookSender& webhooks, const calendar::WriteBack& calendars, metrics::Metrics& metrics,
         const std::atomic<bool>& stopping);

  // Until `stopping`: the message being sent is finished, the rest of the
  // batch is handed back, and run() returns.
  void run();

 private:
  enum class Next { continue_batch, stop_batch };

  // What one attempt came to. A calendar write that changed the booking's
  // resource also has its new ETag to keep.
  struct Attempt {
    SendResult result;
    bool calendar_changed = false;
    std::optional<std::string> calendar_etag;
  };

  Next deliver(const store::ClaimedJob& job);
  // The message a job is, sent: e-mail through the transport, a webhook, or
  // a write into a host's calendar.
  Attempt send(const store::ClaimedJob& job);
  void release_unsent(const std::vector<store::ClaimedJob>& batch, std::size_t first_unsent);
  void record(const store::ClaimedJob& job, store::AttemptOutcome outcome, const Attempt& attempt,
              std::chrono::steady_clock::time_point started, double retry_in);
  void pace();
  void pause(std::chrono::milliseconds duration);

  WorkerSettings settings_;
  store::JobQueue& queue_;
  const EmailTemplates& templates_;
  Transport& transport_;
  WebhookSender& webhooks_;
  const calendar::WriteBack& calendars_;
  metrics::Metrics& metrics_;
  const std::atomic<bool>& stopping_;
  std::chrono::steady_clock::time_point next_send_{};
  std::mt19937 random_{std::random_device{}()};
};

}  // namespace leadgate::mail
