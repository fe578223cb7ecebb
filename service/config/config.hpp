#pragma once
// The whole configuration of leadgate, as one typed value passed down
// explicitly. Defaults here match config/leadgate.toml; every key is
// described in docs/configuration.md.

#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace leadgate::config {

// A bad configuration: the message names the key and never carries a secret.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct MinuteRange {
  int begin = 0;  // minutes after local midnight
  int end = 0;    // exclusive
  bool operator==(const MinuteRange&) const = default;
};

// Opening hours by weekday, Monday first (ISO 8601 numbers the days).
using WeeklyHours = std::array<std::vector<MinuteRange>, 7>;

// A person who takes consultations (booking.hosts).
struct Host {
  std::string id;    // a slug: a-z, 0-9, '-'
  std::string name;
  std::string email;
  // Calendar URLs (CalDAV collections or .ics feeds) whose events are busy
  // time; credentials may be in a URL (then the list comes from the
  // environment, never the file).
  std::vector<std::string> calendars;
  std::string write_to;  // a CalDAV collection booked meetings go into ("" = none)
  std::optional<WeeklyHours> hours;  // replaces booking.hours for this host
  bool operator==(const Host&) const = default;
};

struct Webhook {
  std::string url;
  std::string secret;
  std::vector<std::string> events;
  bool operator==(const Webhook&) const = default;
};

// A salesperson new leads are assigned to (sales.assignees).
struct Assignee {
  std::string name;   // the lead's owner
  std::string email;  // where that lead's notification goes
  bool operator==(const Assignee&) const = default;
};

struct Config {
  struct Database {
    std::string url;  // empty: not configured
    int pool_size = 8;
    // Group commit of form posts: at most this many leads per statement,
    // waiting at most this long for a group to fill, this many in flight.
    int batch_max_rows = 32;
    int batch_linger_microseconds = 200;
    int batch_writers = 2;
    bool operator==(const Database&) const = default;
  } database;

  struct Http {
    std::string listen = "127.0.0.1:8080";
    std::string listen_host = "127.0.0.1";  // derived from listen
    std::uint16_t listen_port = 8080;       // derived from listen; 0 picks a free port
    // /readyz and /metrics on a listener of their own (not the public port);
    // empty: on http.listen, beside the public routes.
    std::string ops_listen;
    std::string ops_listen_host;   // derived from ops_listen
    std::uint16_t ops_listen_port = 0;
    std::string public_url = "http://localhost:8080";
    std::vector<std::string> allowed_origins;
    std::vector<std::string> trusted_proxies;
    std::size_t max_body_bytes = 65536;
    std::size_t max_header_bytes = 8192;
    int read_timeout_seconds = 10;
    int idle_timeout_seconds = 60;
    int max_connections = 10000;
    int threads = 1;  // I/O threads; 0: one per core
    int drain_seconds = 20;
    bool operator==(const Http&) const = default;
  } http;

  struct Limits {
    int per_minute = 5;
    int burst = 10;
    int emails_per_recipient_per_day = 3;  // confirmations a visitor's address can get from the forms
    bool operator==(const Limits&) const = default;
  } limits;

  struct Forms {
    std::string honeypot_field = "_gotcha";
    int min_fill_seconds = 3;
    struct SuccessUrl {
      std::string estimate = "/thanks";
      std::string newsletter = "/thanks";
      std::string consultation = "/thanks";
      bool operator==(const SuccessUrl&) const = default;
    } success_url;
    std::string consent_version = "1";
    std::vector<std::string> budgets = {"under_10k", "10k_25k", "25k_50k", "50k_100k", "over_100k", "not_sure"};
    std::vector<std::string> services = {"web_app", "mobile_app", "design", "api", "consulting", "maintenance", "other"};
    std::string captcha = "off";
    std::string captcha_secret;
    std::string captcha_verify_url;
    // The widget leadgate's own booking page shows: the provider's public
    // site key, and the script that draws the widget (empty: the
    // provider's; a test points it elsewhere).
    std::string captcha_site_key;
    std::string captcha_script_url;
    int captcha_timeout_seconds = 5;  // a provider slower than this fails the check
    int max_links = 2;                 // more URLs than this in the free text: the `links` signal
    int spam_threshold = 50;           // a spam score at or above this is spam
    std::string disposable_domains_file;  // more throwaway-mail domains, one per line
    std::string rspamd_url;               // e.g. http://127.0.0.1:11333; empty: no rspamd
    int rspamd_timeout_milliseconds = 1000;
    bool operator==(const Forms&) const = default;
  } forms;

  struct Mail {
    std::string url = "file://.dev/outbox";
    std::string from = "Studio <hello@localhost>";
    std::string sales_inbox = "sales@localhost";
    int max_attempts = 8;
    double per_second = 20;
    int batch_size = 16;            // jobs a worker claims at once
    int lease_seconds = 300;        // how long a claimed job is a worker's alone
    int retry_base_seconds = 30;    // first retry delay, doubled each attempt
    int retry_max_seconds = 3600;   // longest retry delay
    int timeout_seconds = 30;       // each step of an SMTP conversation
    std::string ca_file;            // CA bundle for the SMTP server's certificate; empty: the system's
    bool operator==(const Mail&) const = default;
  } mail;

  struct Newsletter {
    int cooldown_minutes = 10;  // no second confirmation e-mail to an address within this
    int confirm_hours = 72;     // how long a confirmation link works
    std::string confirmed_url = "/newsletter/confirmed";        // after confirming
    std::string unsubscribed_url = "/newsletter/unsubscribed";  // after unsubscribing
    bool operator==(const Newsletter&) const = default;
  } newsletter;

  // export.*: each streamed export holds a PostgreSQL connection and a
  // thread of its own while it runs.
  struct Exports {
    int max_concurrent = 2;  // per serve process; beyond: 503 with Retry-After
    bool operator==(const Exports&) const = default;
  } exports;

  struct Worker {
    // /healthz and /metrics of `leadgate worker`; port 0 picks a free one.
    std::string listen = "127.0.0.1:9091";
    std::string listen_host = "127.0.0.1";  // derived from listen
    std::uint16_t listen_port = 9091;       // derived from listen
    bool operator==(const Worker&) const = default;
  } worker;

  struct Booking {
    std::string timezone = "Europe/Berlin";
    WeeklyHours hours = {{{{540, 1020}}, {{540, 1020}}, {{540, 1020}}, {{540, 1020}}, {{540, 1020}}, {}, {}}};
    int slot_minutes = 30;
    int buffer_minutes = 0;
    int min_notice_hours = 24;
    int horizon_days = 60;
    std::vector<std::string> closed_dates;
    // Upcoming meetings one person may hold at once, by address (its key:
    // no +tag, no dots) and by client network: a script must not be able to
    // book the whole calendar.
    int max_active_per_address = 2;
    int max_active_per_network = 5;
    // Empty: one implicit host, the business itself, with `hours` and no
    // calendars.
    std::vector<Host> hosts;
    // The worker reads each calendar this often; a host whose calendars have
    // not all been read within calendar_max_stale_seconds offers no slots.
    int calendar_sync_seconds = 300;
    int calendar_max_stale_seconds = 900;
    // The meeting's link, e.g. "https://meet.jit.si/studio-{booking_id}":
    // the invitation's LOCATION and URL, and in the e-mails ("" = none).
    std::string meeting_url;
    bool operator==(const Booking&) const = default;
  } booking;

  struct Sales {
    // "round_robin": each new lead that is not spam gets the next assignee
    // as its owner; "none": leads arrive without one.
    std::string assign = "none";
    std::vector<Assignee> assignees;
    bool operator==(const Sales&) const = default;
  } sales;

  struct Webhooks {
    std::vector<Webhook> targets;
    bool operator==(const Webhooks&) const = default;
  } webhooks;

  struct Retention {
    int spam_days = 30;  // spam older than this is purged; 0 keeps it
    int lead_days = 0;   // leads older than this are purged with what is attached; 0 keeps them
    bool operator==(const Retention&) const = default;
  } retention;

  struct Paths {
    std::string templates = "templates";
    std::string db = "db";
    bool operator==(const Paths&) const = default;
  } paths;

  struct Log {
    std::string level = "info";
    bool operator==(const Log&) const = default;
  } log;
};

// Reads `file` (which must exist when `file_required`; otherwise a missing
// file means built-in defaults), applies LEADGATE_* variables from
// `environment` (NAME=VALUE strings, as in environ), validates everything.
// Throws ConfigError naming the first bad key.
Config load(const std::string& file, bool file_required, const char* const* environment);

// The environment variable that overrides `key`: "http.listen" → "LEADGATE_HTTP_LISTEN".
std::string environment_name(std::string_view key);

}  // namespace leadgate::config
