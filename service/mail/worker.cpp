#include "mail/worker.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "domain/ids.hpp"
#include "log/log.hpp"

namespace leadgate::mail {

namespace {

using Clock = std::chrono::steady_clock;

std::chrono::system_clock::time_point from_unix_seconds(double seconds) {
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(seconds)));
}

std::string_view outcome_name(store::AttemptOutcome outcome) {
  switch (outcome) {
    case store::AttemptOutcome::sent: return "sent";
    case store::AttemptOutcome::retry: return "retry";
    case store::AttemptOutcome::dead: return "dead";
  }
  return "unknown";
}

// The metrics' word for an attempt that will be retried is "failed"
// (docs/operations.md, "Metrics"); the log and job_attempts say "retry".
std::string metric_outcome(store::AttemptOutcome outcome) {
  return outcome == store::AttemptOutcome::retry ? "failed" : std::string(outcome_name(outcome));
}

// A calendar write's result in the words of the outbox: a write that gets
// no answer, or whose credentials are refused, is an outage (never dead).
Delivery delivery_of(calendar::WriteStatus status) {
  switch (status) {
    case calendar::WriteStatus::written: return Delivery::sent;
    case calendar::WriteStatus::retry: return Delivery::retry;
    case calendar::WriteStatus::unreachable: return Delivery::unreachable;
    case calendar::WriteStatus::reject: return Delivery::reject;
  }
  return Delivery::retry;
}

// The log line's event for a job of this kind.
const char* event_of(const std::string& kind) {
  if (kind == "webhook") return "webhook";
  if (kind == "calendar") return "calendar_write";
  return "email";
}

}  // namespace

double retry_delay(int attempts, std::chrono::seconds base, std::chrono::seconds max, double jitter) {
  double exponent = std::clamp(attempts - 1, 0, 30);
  double delay = std::min(static_cast<double>(base.count()) * std::pow(2.0, exponent), static_cast<double>(max.count()));
  return delay * jitter;
}

bool lease_allows_another(std::chrono::steady_clock::duration since_claim, int lease_seconds) {
  return since_claim < std::chrono::seconds(lease_seconds) / 2;
}

std::string new_worker_id() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return std::string(host) + "-" + std::to_string(getpid()) + "-" + domain::random_hex(4);
}

Worker::Worker(WorkerSettings settings, store::JobQueue& queue, const EmailTemplates& templates,
               Transport& transport, WebhookSender& webhooks, const calendar::WriteBack& calendars,
               metrics::Metrics& metrics, const std::atomic<bool>& stopping)
    : settings_(std::move(settings)), queue_(queue), templates_(templates), transport_(transport),
      webhooks_(webhooks), calendars_(calendars), metrics_(metrics), stopping_(stopping) {}

void Worker::pause(std::chrono::milliseconds duration) {
  auto until = Clock::now() + duration;
  while (!stopping_.load() && Clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
}

// mail.per_second: one message per 1/per_second, never a burst to catch up.
void Worker::pace() {
  auto now = Clock::now();
  if (next_send_ > now) std::this_thread::sleep_until(next_send_);
  auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / settings_.per_second));
  next_send_ = std::max(next_send_, now) + interval;
}

void Worker::run() {
  log::info("worker_started", {{"worker", settings_.worker_id}, {"lane", settings_.lane}});
  while (!stopping_.load()) {
    std::vector<store::ClaimedJob> batch;
    try {
      batch = queue_.claim(settings_.worker_id, settings_.lane, settings_.batch_size, settings_.lease_seconds);
      if (batch.empty()) {
        queue_.wait_for_jobs(settings_.poll_interval);
        continue;
      }
    } catch (const std::exception& error) {
      log::warn("worker_database_error", {{"lane", settings_.lane}, {"detail", error.what()}});
      pause(std::chrono::seconds(1));
      continue;
    }
    std::size_t next = 0;
    while (next < batch.size() && !stopping_.load() &&
           lease_allows_another(Clock::now() - batch[next].claimed_here, settings_.lease_seconds)) {
      if (deliver(batch[next++]) == Next::stop_batch) break;
    }
    release_unsent(batch, next);
  }
  log::info("worker_stopped", {{"worker", settings_.worker_id}, {"lane", settings_.lane}});
}

void Worker::release_unsent(const std::vector<store::ClaimedJob>& batch, std::size_t first_unsent) {
  if (first_unsent >= batch.size()) return;
  std::vector<std::int64_t> unsent;
  for (std::size_t i = first_unsent; i < batch.size(); ++i) unsent.push_back(batch[i].id);
  try {
    queue_.release(unsent, settings_.worker_id);
  } catch (const std::exception& error) {
    // Not fatal: their lease runs out and any worker takes them.
    log::warn("worker_release_failed", {{"lane", settings_.lane}, {"detail", error.what()}});
  }
}

Worker::Attempt Worker::send(const store::ClaimedJob& job) {
  if (job.kind == "calendar") {
    auto written = calendars_.deliver(job);
    return {{delivery_of(written.status), std::move(written.detail)}, written.changed, std::move(written.etag)};
  }
  std::string composed;
  Addressees to;
  try {
    if (job.kind == "webhook") return {webhooks_.deliver(job), false, std::nullopt};
    to = addressees(settings_.routing, job.recipient, job.lead_owner);
    composed = compose(build_message(templates_, settings_.sender,
                                     OutgoingJob{job.template_name, to.to, job.reply_to, job.payload, job.message_id,
                                                 from_unix_seconds(job.created_at), to.cc}));
  } catch (const std::exception& error) {
    // A payload or template that cannot render never will: give it up now.
    return {{Delivery::reject, std::string("cannot render: ") + error.what()}, false, std::nullopt};
  }
  auto sent = transport_.send(Envelope{settings_.sender.from.address, to.all(), "job-" + std::to_string(job.id)},
                              composed);
  return {std::move(sent), false, std::nullopt};
}

Worker::Next Worker::deliver(const store::ClaimedJob& job) {
  bool email = job.kind == "email";
  // mail.per_second is the mail provider's limit, not a CRM's or a
  // calendar server's: webhooks and calendar writes have lanes of their own
  // and are not paced.
  if (email) pace();
  auto started = Clock::now();
  auto attempt = send(job);
  const auto& result = attempt.result;
  auto send_time = Clock::now() - started;

  store::AttemptOutcome outcome = store::AttemptOutcome::sent;
  double retry_in = 0;
  if (result.delivery == Delivery::reject) {
    outcome = store::AttemptOutcome::dead;
  } else if (result.delivery != Delivery::sent) {
    // A server that cannot be reached (or refuses our credentials) says
    // nothing about the message: an outage, however long, must not use up
    // its attempts and lose it. Only the message's own failures count.
    bool exhausted = result.delivery != Delivery::unreachable && job.attempts >= settings_.max_attempts;
    outcome = exhausted ? store::AttemptOutcome::dead : store::AttemptOutcome::retry;
    std::uniform_real_distribution<double> jitter(0.5, 1.5);
    retry_in = retry_delay(job.attempts, settings_.retry_base, settings_.retry_max, jitter(random_));
  }
  std::optional<std::chrono::nanoseconds> queue_latency;
  if (outcome == store::AttemptOutcome::sent) {
    auto now = std::chrono::system_clock::now();
    queue_latency = std::chrono::duration_cast<std::chrono::nanoseconds>(now - from_unix_seconds(job.created_at));
  }
  if (job.kind == "webhook") {
    metrics_.count_webhook(metric_outcome(outcome));
  } else if (job.kind == "calendar") {
    metrics_.count_calendar_write(metric_outcome(outcome));
  } else {
    metrics_.observe_email(metric_outcome(outcome), send_time, queue_latency);
  }
  record(job, outcome, attempt, started, retry_in);
  // When the server cannot be reached, the rest of the batch would only fail
  // the same way: hand it back and let the backoff work.
  return result.delivery == Delivery::unreachable ? Next::stop_batch : Next::continue_batch;
}

void Worker::record(const store::ClaimedJob& job, store::AttemptOutcome outcome, const Attempt& attempt,
                    Clock::time_point started, double retry_in) {
  const auto& detail = attempt.result.detail;
  log::Fields fields = {{"job", job.id},
                        {"kind", job.kind},
                        {"template", job.template_name},
                        {"attempt", job.attempts},
                        {"outcome", outcome_name(outcome)}};
  if (outcome != store::AttemptOutcome::sent) fields["detail"] = detail;
  if (outcome == store::AttemptOutcome::retry) fields["retry_in_seconds"] = retry_in;
  // A sent calendar write says what it did (the log names no credentials).
  if (job.kind == "calendar" && outcome == store::AttemptOutcome::sent) fields["detail"] = detail;
  auto event = event_of(job.kind);
  if (outcome == store::AttemptOutcome::sent) {
    log::info(event, std::move(fields));
  } else {
    log::warn(event, std::move(fields));
  }
  try {
    if (outcome == store::AttemptOutcome::sent && attempt.calendar_changed) {
      queue_.record_written(job, settings_.worker_id, detail, started, attempt.calendar_etag);
    } else {
      queue_.record(job, settings_.worker_id, outcome, detail, started, retry_in);
    }
  } catch (const std::exception& error) {
    // The job keeps its lease; when it runs out the job is sent again
    // (at least once; the Message-ID is the same).
    log::warn("worker_record_failed", {{"lane", settings_.lane}, {"job", job.id}, {"detail", error.what()}});
  }
}

}  // namespace leadgate::mail
