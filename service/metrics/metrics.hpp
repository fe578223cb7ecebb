#pragma once
// In-process metrics: requests by route and status, request latency by route,
// leads accepted by form. Thread-safe; cheap enough for every request.

#include <array>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace leadgate::metrics {

// Which families a process reports: serve stores leads, a worker delivers.
enum class Role { serve, worker };

class Metrics {
 public:
  // The role's counters exist from the start, at 0, so that rates and alerts
  // on them (failed deliveries above all) see a zero rather than no data.
  // `lead_forms`: the forms whose leads serve counts.
  explicit Metrics(Role role, std::span<const std::string_view> lead_forms = {});

  void observe_request(const std::string& route, int status, std::chrono::nanoseconds duration);
  void count_lead(const std::string& form, bool spam);

  // One delivery attempt by the worker: outcome "sent", "failed" (to be
  // retried) or "dead";
  // how long the transport took; for sent ones, how long since the job was
  // committed (the queue latency a visitor feels).
  void observe_email(const std::string& outcome, std::chrono::nanoseconds send_time,
                     std::optional<std::chrono::nanoseconds> queue_latency);
  // One webhook delivery attempt by the worker, by the same outcomes.
  void count_webhook(const std::string& outcome);
  // One write into a host's calendar (write-back), by the same outcomes.
  void count_calendar_write(const std::string& outcome);

  // The worker's calendar lane: the hosts it syncs (their counters start at
  // 0), each sync by outcome ("synced", "unchanged", "failed"), and how long
  // ago each host's least recently synced calendar was read (none: one never
  // was, shown as +Inf).
  void expect_calendar_hosts(const std::vector<std::string>& hosts);
  void count_calendar_sync(const std::string& host, const std::string& outcome);
  void set_calendar_age(const std::string& host, std::optional<std::chrono::seconds> age);

  // rspamd's checks of form posts (forms.rspamd_url): "scored", or
  // "unavailable" when rspamd could not be reached, was too slow or gave no
  // score. serve calls expect_rspamd_checks() when rspamd is configured, so
  // that both outcomes start at 0; the family is absent otherwise.
  void expect_rspamd_checks();
  void count_rspamd_check(bool scored);

  // Prometheus text exposition format 0.0.4.
  std::string render() const;

 private:
  static constexpr std::array<double, 12> bucket_bounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
  struct Latency {
    std::array<std::uint64_t, bucket_bounds.size()> buckets{};  // cumulative at render time
    std::uint64_t count = 0;
    double sum = 0;
    void observe(double seconds);
  };
  static void render_histogram(std::ostream& out, const std::string& name, const std::string& labels,
                               const Latency& latency);

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Latency> latency_;
  std::map<std::pair<std::string, bool>, std::uint64_t> leads_;
  std::map<std::string, std::uint64_t> emails_;
  std::map<std::string, std::uint64_t> webhooks_;
  std::map<std::string, std::uint64_t> calendar_writes_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> calendar_syncs_;
  std::map<std::string, std::optional<std::chrono::seconds>> calendar_ages_;
  std::map<std::string, std::uint64_t> rspamd_checks_;
  std::optional<Latency> email_send_;
  std::optional<Latency> email_queue_;
};

// Escapes a label value for the exposition format.
std::string label(const std::string& value);

}  // namespace leadgate::metrics
