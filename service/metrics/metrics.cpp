#include "metrics/metrics.hpp"

#include <sstream>

namespace leadgate::metrics {

std::string label(const std::string& value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\' || c == '"') escaped += '\\';
    if (c == '\n') {
      escaped += "\\n";
      continue;
    }
    escaped += c;
  }
  return escaped;
}

Metrics::Metrics(Role role, std::span<const std::string_view> lead_forms) {
  if (role == Role::serve) {
    for (auto form : lead_forms) {
      for (bool spam : {false, true}) leads_[{std::string(form), spam}] = 0;
    }
  } else {
    for (const char* outcome : {"sent", "failed", "dead"}) {
      emails_[outcome] = webhooks_[outcome] = calendar_writes_[outcome] = 0;
    }
  }
}

void Metrics::Latency::observe(double seconds) {
  for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
    if (seconds <= bucket_bounds[i]) {
      ++buckets[i];
      break;
    }
  }
  ++count;
  sum += seconds;
}

void Metrics::render_histogram(std::ostream& out, const std::string& name, const std::string& labels,
                               const Latency& latency) {
  std::string prefix = labels.empty() ? "" : labels + ",";
  std::string own = labels.empty() ? "" : "{" + labels + "}";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
    cumulative += latency.buckets[i];
    out << name << "_bucket{" << prefix << "le=\"" << bucket_bounds[i] << "\"} " << cumulative << '\n';
  }
  out << name << "_bucket{" << prefix << "le=\"+Inf\"} " << latency.count << '\n';
  out << name << "_sum" << own << ' ' << latency.sum << '\n';
  out << name << "_count" << own << ' ' << latency.count << '\n';
}

void Metrics::observe_request(const std::string& route, int status, std::chrono::nanoseconds duration) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  latency_[route].observe(std::chrono::duration<double>(duration).count());
}

void Metrics::observe_email(const std::string& outcome, std::chrono::nanoseconds send_time,
                            std::optional<std::chrono::nanoseconds> queue_latency) {
  std::lock_guard lock(mutex_);
  ++emails_[outcome];
  if (!email_send_) email_send_.emplace();
  email_send_->observe(std::chrono::duration<double>(send_time).count());
  if (queue_latency) {
    if (!email_queue_) email_queue_.emplace();
    email_queue_->observe(std::chrono::duration<double>(*queue_latency).count());
  }
}

void Metrics::count_webhook(const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++webhooks_[outcome];
}

void Metrics::count_calendar_write(const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++calendar_writes_[outcome];
}

void Metrics::expect_calendar_hosts(const std::vector<std::string>& hosts) {
  std::lock_guard lock(mutex_);
  for (const auto& host : hosts) {
    for (const char* outcome : {"synced", "unchanged", "failed"}) calendar_syncs_[{host, outcome}] = 0;
    calendar_ages_.try_emplace(host, std::nullopt);
  }
}

void Metrics::count_calendar_sync(const std::string& host, const std::string& outcome) {
  std::lock_guard lock(mutex_);
  ++calendar_syncs_[{host, outcome}];
}

void Metrics::set_calendar_age(const std::string& host, std::optional<std::chrono::seconds> age) {
  std::lock_guard lock(mutex_);
  calendar_ages_[host] = age;
}

void Metrics::expect_rspamd_checks() {
  std::lock_guard lock(mutex_);
  for (const char* outcome : {"scored", "unavailable"}) rspamd_checks_.try_emplace(outcome, 0);
}

void Metrics::count_rspamd_check(bool scored) {
  std::lock_guard lock(mutex_);
  ++rspamd_checks_[scored ? "scored" : "unavailable"];
}

void Metrics::count_lead(const std::string& form, bool spam) {
  std::lock_guard lock(mutex_);
  ++leads_[{form, spam}];
}

std::string Metrics::render() const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP leadgate_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE leadgate_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out << "leadgate_http_requests_total{route=\"" << label(key.first) << "\",status=\"" << key.second << "\"} "
        << count << '\n';
  }
  out << "# HELP leadgate_http_request_duration_seconds Time from the first byte of a request to its response being ready.\n"
         "# TYPE leadgate_http_request_duration_seconds histogram\n";
  for (const auto& [route, latency] : latency_) {
    render_histogram(out, "leadgate_http_request_duration_seconds", "route=\"" + label(route) + "\"", latency);
  }
  out << "# HELP leadgate_leads_total Leads stored by this process, by form; spam counts those flagged.\n"
         "# TYPE leadgate_leads_total counter\n";
  for (const auto& [key, count] : leads_) {
    out << "leadgate_leads_total{form=\"" << label(key.first) << "\",spam=\"" << (key.second ? "true" : "false")
        << "\"} " << count << '\n';
  }
  if (!rspamd_checks_.empty()) {
    out << "# HELP leadgate_rspamd_checks_total rspamd checks of form posts, by outcome (scored; unavailable: "
           "unreachable, too slow or no score, so the post was judged without it).\n"
           "# TYPE leadgate_rspamd_checks_total counter\n";
    for (const auto& [outcome, count] : rspamd_checks_) {
      out << "leadgate_rspamd_checks_total{outcome=\"" << label(outcome) << "\"} " << count << '\n';
    }
  }
  // The e-mail families appear in the worker's /metrics only.
  if (!emails_.empty()) {
    out << "# HELP leadgate_emails_total Delivery attempts by this worker, by outcome (sent, failed, dead).\n"
           "# TYPE leadgate_emails_total counter\n";
    for (const auto& [outcome, count] : emails_) {
      out << "leadgate_emails_total{outcome=\"" << label(outcome) << "\"} " << count << '\n';
    }
  }
  if (!webhooks_.empty()) {
    out << "# HELP leadgate_webhooks_total Webhook delivery attempts by this worker, by outcome (sent, failed, dead).\n"
           "# TYPE leadgate_webhooks_total counter\n";
    for (const auto& [outcome, count] : webhooks_) {
      out << "leadgate_webhooks_total{outcome=\"" << label(outcome) << "\"} " << count << '\n';
    }
  }
  if (!calendar_writes_.empty()) {
    out << "# HELP leadgate_calendar_writes_total Writes of booked meetings into hosts' calendars by this worker, "
           "by outcome (sent, failed, dead).\n"
           "# TYPE leadgate_calendar_writes_total counter\n";
    for (const auto& [outcome, count] : calendar_writes_) {
      out << "leadgate_calendar_writes_total{outcome=\"" << label(outcome) << "\"} " << count << '\n';
    }
  }
  if (!calendar_syncs_.empty()) {
    out << "# HELP leadgate_calendar_sync_total Calendar reads by this worker, by host and outcome (synced, "
           "unchanged, failed).\n"
           "# TYPE leadgate_calendar_sync_total counter\n";
    for (const auto& [key, count] : calendar_syncs_) {
      out << "leadgate_calendar_sync_total{host=\"" << label(key.first) << "\",outcome=\"" << label(key.second)
          << "\"} " << count << '\n';
    }
    out << "# HELP leadgate_calendar_sync_age_seconds Since the host's least recently read calendar was last read "
           "(+Inf: never). Past booking.calendar_max_stale_seconds the host offers no slots.\n"
           "# TYPE leadgate_calendar_sync_age_seconds gauge\n";
    for (const auto& [host, age] : calendar_ages_) {
      out << "leadgate_calendar_sync_age_seconds{host=\"" << label(host) << "\"} ";
      if (age) {
        out << age->count() << '\n';
      } else {
        out << "+Inf\n";
      }
    }
  }
  if (email_send_) {
    out << "# HELP leadgate_email_send_seconds Time the mail transport took for one attempt.\n"
           "# TYPE leadgate_email_send_seconds histogram\n";
    render_histogram(out, "leadgate_email_send_seconds", "", *email_send_);
  }
  if (email_queue_) {
    out << "# HELP leadgate_email_queue_seconds From the commit that queued an e-mail to its acceptance by the "
           "mail server.\n"
           "# TYPE leadgate_email_queue_seconds histogram\n";
    render_histogram(out, "leadgate_email_queue_seconds", "", *email_queue_);
  }
  return out.str();
}

}  // namespace leadgate::metrics
