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

void Metrics::observe_request(const std::string& route, int status, std::chrono::nanoseconds duration) {
  double seconds = std::chrono::duration<double>(duration).count();
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  auto& latency = latency_[route];
  for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
    if (seconds <= bucket_bounds[i]) {
      ++latency.buckets[i];
      break;
    }
  }
  ++latency.count;
  latency.sum += seconds;
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
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < bucket_bounds.size(); ++i) {
      cumulative += latency.buckets[i];
      out << "leadgate_http_request_duration_seconds_bucket{route=\"" << label(route) << "\",le=\""
          << bucket_bounds[i] << "\"} " << cumulative << '\n';
    }
    out << "leadgate_http_request_duration_seconds_bucket{route=\"" << label(route) << "\",le=\"+Inf\"} "
        << latency.count << '\n';
    out << "leadgate_http_request_duration_seconds_sum{route=\"" << label(route) << "\"} " << latency.sum << '\n';
    out << "leadgate_http_request_duration_seconds_count{route=\"" << label(route) << "\"} " << latency.count
        << '\n';
  }
  out << "# HELP leadgate_leads_total Leads stored by this process, by form; spam counts those flagged.\n"
         "# TYPE leadgate_leads_total counter\n";
  for (const auto& [key, count] : leads_) {
    out << "leadgate_leads_total{form=\"" << label(key.first) << "\",spam=\"" << (key.second ? "true" : "false")
        << "\"} " << count << '\n';
  }
  return out.str();
}

}  // namespace leadgate::metrics
