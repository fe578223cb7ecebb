#include "store/queries.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace leadgate::store {

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

bool is_blank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; });
}

std::string header_value(const std::string& line, std::string_view header) {
  std::string value = line.substr(header.size());
  value.erase(0, value.find_first_not_of(' '));
  value.erase(value.find_last_not_of(" \r") + 1);
  return value;
}

// A statement's "-- include: NAME" lines replaced by the fragment NAME, so
// that a filter clause shared by a listing and its export is written once.
std::string with_fragments(const std::string& statement, const std::string& sql,
                           const std::map<std::string, std::string, std::less<>>& fragments) {
  static constexpr std::string_view include = "-- include:";
  std::istringstream lines(sql);
  std::string line;
  std::string out;
  while (std::getline(lines, line)) {
    auto start = line.find_first_not_of(' ');
    if (start != std::string::npos && std::string_view(line).substr(start).starts_with(include)) {
      auto name = header_value(line.substr(start), include);
      auto fragment = fragments.find(name);
      if (fragment == fragments.end()) {
        throw std::runtime_error("the query \"" + statement + "\" includes \"" + name + "\", which no file defines");
      }
      out += fragment->second;
    } else {
      out += line;
      out += '\n';
    }
  }
  return out;
}

}  // namespace

Queries Queries::load(const std::string& directory) {
  Queries queries;
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  }
  if (error) throw std::runtime_error("cannot read the query directory " + directory + ": " + error.message());
  std::sort(files.begin(), files.end());

  static constexpr std::string_view header = "-- name:";
  static constexpr std::string_view fragment_header = "-- fragment:";
  std::map<std::string, std::string, std::less<>> fragments;
  for (const auto& file : files) {
    std::istringstream lines(read_file(file));
    std::string line;
    std::string name;
    bool is_fragment = false;
    std::string body;
    auto flush = [&] {
      if (name.empty()) {
        if (!is_blank(body)) throw std::runtime_error(file.string() + ": SQL before the first \"-- name:\" header");
        return;
      }
      auto& into = is_fragment ? fragments : queries.statements_;
      if (!into.emplace(name, body).second) {
        throw std::runtime_error(file.string() + ": the name \"" + name + "\" is used twice");
      }
    };
    while (std::getline(lines, line)) {
      bool starts_fragment = line.starts_with(fragment_header);
      if (line.starts_with(header) || starts_fragment) {
        flush();
        name = header_value(line, starts_fragment ? fragment_header : header);
        is_fragment = starts_fragment;
        body.clear();
      } else {
        body += line;
        body += '\n';
      }
    }
    flush();
  }
  for (auto& [name, sql] : queries.statements_) sql = with_fragments(name, sql, fragments);
  return queries;
}

void Queries::require(std::span<const std::string_view> names) const {
  for (auto name : names) {
    if (statements_.find(name) == statements_.end()) {
      throw std::runtime_error("the query \"" + std::string(name) + "\" is not defined in db/queries");
    }
  }
}

std::span<const std::string_view> statements_in_use() {
  static constexpr std::array<std::string_view, 96> names = {
      "queue-webhooks",
      "queue-calendar-write", "claim-calendar-jobs", "calendar-job-sent",
      "ensure-calendar-sync", "lease-calendar-sync", "calendar-synced", "clear-busy-times", "insert-busy-times",
      "calendar-sync-failed", "calendar-sync-ages", "host-booking-ids",
      "subject-records", "erase-subject", "list-audit", "release-lead", "drop-visitor-emails",
      "claim-maintenance-run", "maintenance-run-progress", "finish-maintenance-run", "release-maintenance-run",
      "maintenance-run-status", "purge-lock-timeout", "pick-spam-leads", "pick-old-leads", "purge-leads",
      "purge-newsletter-spam",
      "busy-between", "recent-bookings-by-host", "insert-consultation-lead", "insert-booking", "queue-booking-email", "find-booking-by-token",
      "find-booking-by-id", "booking-detail", "reschedule-booking", "replace-booking-token", "set-booking-outcome",
      "cancel-booking", "list-bookings-upcoming", "list-bookings-past", "count-active-bookings",
      "list-leads", "list-leads-matching", "export-leads", "export-leads-matching", "oldest-open-transaction", "index-lead-search",
      "hold-lead-search", "get-lead", "lead-timeline", "lock-lead", "update-lead", "insert-lead-event",
      "insert-api-token", "list-api-tokens", "revoke-api-token", "find-api-token",
      "start-admin-session", "find-admin-session", "end-admin-session",
      "list-subscribers", "export-subscribers", "get-subscriber", "insert-audit",
      "insert-newsletter-spam", "lock-subscriber", "insert-subscriber", "refresh-subscriber", "insert-subscriber-tokens",
      "queue-newsletter-confirmation", "record-consent", "find-subscriber-token", "use-confirm-token",
      "confirm-subscriber", "unsubscribe-subscriber",
      "insert-estimates", "claim-idempotency-key", "find-idempotency-key", "notify-jobs",
      "schema-table-exists", "schema-version", "queue-stats",
      "stats-periods", "stats-leads", "stats-funnel", "stats-first-status-change", "stats-bookings",
      "claim-jobs", "job-sent", "job-retry", "job-dead", "release-jobs", "list-jobs", "retry-job", "retry-dead-jobs",
  };
  return names;
}

}  // namespace leadgate::store
