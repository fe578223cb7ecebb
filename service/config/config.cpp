#include "config/config.hpp"

#include "config/booking_hosts.hpp"
#include "config/sales_assignees.hpp"
#include "config/toml_reading.hpp"

#include <date/tz.h>
#include <toml++/toml.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>

namespace leadgate::config {

namespace {

using namespace reading;

// How an environment variable's text becomes a TOML value for its key.
enum class Kind { text, integer, number, text_list, table_list };

struct Key {
  std::string_view name;
  Kind kind;
  // Reads the value into the config; throws std::invalid_argument with a
  // message that does not repeat the value (it may be a secret).
  std::function<void(Config&, const toml::node&)> read;
};

Key text_key(std::string_view name, std::string& (*field)(Config&)) {
  return {name, Kind::text, [field](Config& c, const toml::node& n) { field(c) = read_text(n); }};
}

Key integer_key(std::string_view name, int& (*field)(Config&), int min, int max) {
  return {name, Kind::integer,
          [field, min, max](Config& c, const toml::node& n) { field(c) = static_cast<int>(read_integer(n, min, max)); }};
}

Key size_key(std::string_view name, std::size_t& (*field)(Config&), std::size_t min, std::size_t max) {
  return {name, Kind::integer, [field, min, max](Config& c, const toml::node& n) {
            field(c) = static_cast<std::size_t>(
                read_integer(n, static_cast<std::int64_t>(min), static_cast<std::int64_t>(max)));
          }};
}

Key text_list_key(std::string_view name, std::vector<std::string>& (*field)(Config&)) {
  return {name, Kind::text_list, [field](Config& c, const toml::node& n) { field(c) = read_text_list(n); }};
}

Key hours_key(std::string_view name, std::size_t weekday) {
  return {name, Kind::text_list,
          [weekday](Config& c, const toml::node& n) { c.booking.hours[weekday] = parse_hours(read_text_list(n)); }};
}

Webhook read_webhook(const toml::node& node) {
  Webhook webhook;
  read_table(node, "expected a list of {url, secret, events} tables", "a target",
             {{"url", [&](const toml::node& value) { webhook.url = read_text(value); }},
              {"secret", [&](const toml::node& value) { webhook.secret = read_text(value); }},
              {"events", [&](const toml::node& value) { webhook.events = read_text_list(value); }}});
  return webhook;
}

const std::vector<Key>& all_keys() {
  static const std::vector<Key> keys = {
      text_key("database.url", [](Config& c) -> std::string& { return c.database.url; }),
      integer_key("database.pool_size", [](Config& c) -> int& { return c.database.pool_size; }, 1, 256),
      integer_key("database.batch_max_rows", [](Config& c) -> int& { return c.database.batch_max_rows; }, 1, 1000),
      integer_key("database.batch_linger_microseconds",
                  [](Config& c) -> int& { return c.database.batch_linger_microseconds; }, 0, 100000),
      integer_key("database.batch_writers", [](Config& c) -> int& { return c.database.batch_writers; }, 1, 64),
      text_key("http.listen", [](Config& c) -> std::string& { return c.http.listen; }),
      text_key("http.ops_listen", [](Config& c) -> std::string& { return c.http.ops_listen; }),
      text_key("http.public_url", [](Config& c) -> std::string& { return c.http.public_url; }),
      text_list_key("http.allowed_origins", [](Config& c) -> std::vector<std::string>& { return c.http.allowed_origins; }),
      text_list_key("http.trusted_proxies", [](Config& c) -> std::vector<std::string>& { return c.http.trusted_proxies; }),
      size_key("http.max_body_bytes", [](Config& c) -> std::size_t& { return c.http.max_body_bytes; }, 1024, 16 << 20),
      size_key("http.max_header_bytes", [](Config& c) -> std::size_t& { return c.http.max_header_bytes; }, 1024, 65536),
      integer_key("http.read_timeout_seconds", [](Config& c) -> int& { return c.http.read_timeout_seconds; }, 1, 3600),
      integer_key("http.idle_timeout_seconds", [](Config& c) -> int& { return c.http.idle_timeout_seconds; }, 1, 3600),
      integer_key("http.max_connections", [](Config& c) -> int& { return c.http.max_connections; }, 1, 1000000),
      integer_key("http.threads", [](Config& c) -> int& { return c.http.threads; }, 0, 64),
      integer_key("http.drain_seconds", [](Config& c) -> int& { return c.http.drain_seconds; }, 0, 600),
      integer_key("limits.per_minute", [](Config& c) -> int& { return c.limits.per_minute; }, 1, 1000000),
      integer_key("limits.burst", [](Config& c) -> int& { return c.limits.burst; }, 1, 1000000),
      integer_key("limits.emails_per_recipient_per_day",
                  [](Config& c) -> int& { return c.limits.emails_per_recipient_per_day; }, 0, 1000),
      text_key("forms.honeypot_field", [](Config& c) -> std::string& { return c.forms.honeypot_field; }),
      integer_key("forms.min_fill_seconds", [](Config& c) -> int& { return c.forms.min_fill_seconds; }, 0, 3600),
      text_key("forms.success_url.estimate", [](Config& c) -> std::string& { return c.forms.success_url.estimate; }),
      text_key("forms.success_url.newsletter", [](Config& c) -> std::string& { return c.forms.success_url.newsletter; }),
      text_key("forms.success_url.consultation",
               [](Config& c) -> std::string& { return c.forms.success_url.consultation; }),
      text_key("forms.consent_version", [](Config& c) -> std::string& { return c.forms.consent_version; }),
      text_list_key("forms.budgets", [](Config& c) -> std::vector<std::string>& { return c.forms.budgets; }),
      text_list_key("forms.services", [](Config& c) -> std::vector<std::string>& { return c.forms.services; }),
      text_key("forms.captcha", [](Config& c) -> std::string& { return c.forms.captcha; }),
      text_key("forms.captcha_secret", [](Config& c) -> std::string& { return c.forms.captcha_secret; }),
      text_key("forms.captcha_verify_url", [](Config& c) -> std::string& { return c.forms.captcha_verify_url; }),
      text_key("forms.captcha_site_key", [](Config& c) -> std::string& { return c.forms.captcha_site_key; }),
      text_key("forms.captcha_script_url", [](Config& c) -> std::string& { return c.forms.captcha_script_url; }),
      integer_key("forms.captcha_timeout_seconds", [](Config& c) -> int& { return c.forms.captcha_timeout_seconds; },
                  1, 60),
      integer_key("forms.max_links", [](Config& c) -> int& { return c.forms.max_links; }, 0, 1000),
      integer_key("forms.spam_threshold", [](Config& c) -> int& { return c.forms.spam_threshold; }, 1, 100),
      text_key("forms.disposable_domains_file",
               [](Config& c) -> std::string& { return c.forms.disposable_domains_file; }),
      text_key("forms.rspamd_url", [](Config& c) -> std::string& { return c.forms.rspamd_url; }),
      integer_key("forms.rspamd_timeout_milliseconds",
                  [](Config& c) -> int& { return c.forms.rspamd_timeout_milliseconds; }, 50, 60000),
      integer_key("retention.spam_days", [](Config& c) -> int& { return c.retention.spam_days; }, 0, 36500),
      integer_key("retention.lead_days", [](Config& c) -> int& { return c.retention.lead_days; }, 0, 36500),
      text_key("mail.url", [](Config& c) -> std::string& { return c.mail.url; }),
      text_key("mail.from", [](Config& c) -> std::string& { return c.mail.from; }),
      text_key("mail.sales_inbox", [](Config& c) -> std::string& { return c.mail.sales_inbox; }),
      integer_key("mail.max_attempts", [](Config& c) -> int& { return c.mail.max_attempts; }, 1, 100),
      {"mail.per_second", Kind::number,
       [](Config& c, const toml::node& n) {
         auto value = n.value<double>();
         if (!value || !(*value > 0 && *value <= 10000)) {
           throw std::invalid_argument("must be a number above 0 and at most 10000");
         }
         c.mail.per_second = *value;
       }},
      integer_key("mail.batch_size", [](Config& c) -> int& { return c.mail.batch_size; }, 1, 1000),
      integer_key("mail.lease_seconds", [](Config& c) -> int& { return c.mail.lease_seconds; }, 1, 86400),
      integer_key("mail.retry_base_seconds", [](Config& c) -> int& { return c.mail.retry_base_seconds; }, 1, 86400),
      integer_key("mail.retry_max_seconds", [](Config& c) -> int& { return c.mail.retry_max_seconds; }, 1, 604800),
      integer_key("mail.timeout_seconds", [](Config& c) -> int& { return c.mail.timeout_seconds; }, 1, 600),
      text_key("mail.ca_file", [](Config& c) -> std::string& { return c.mail.ca_file; }),
      integer_key("newsletter.cooldown_minutes", [](Config& c) -> int& { return c.newsletter.cooldown_minutes; }, 0,
                  10080),
      integer_key("newsletter.confirm_hours", [](Config& c) -> int& { return c.newsletter.confirm_hours; }, 1, 8760),
      text_key("newsletter.confirmed_url", [](Config& c) -> std::string& { return c.newsletter.confirmed_url; }),
      text_key("newsletter.unsubscribed_url", [](Config& c) -> std::string& { return c.newsletter.unsubscribed_url; }),
      integer_key("export.max_concurrent", [](Config& c) -> int& { return c.exports.max_concurrent; }, 1, 64),
      text_key("worker.listen", [](Config& c) -> std::string& { return c.worker.listen; }),
      text_key("booking.timezone", [](Config& c) -> std::string& { return c.booking.timezone; }),
      hours_key("booking.hours.mon", 0),
      hours_key("booking.hours.tue", 1),
      hours_key("booking.hours.wed", 2),
      hours_key("booking.hours.thu", 3),
      hours_key("booking.hours.fri", 4),
      hours_key("booking.hours.sat", 5),
      hours_key("booking.hours.sun", 6),
      integer_key("booking.slot_minutes", [](Config& c) -> int& { return c.booking.slot_minutes; }, 5, 480),
      integer_key("booking.buffer_minutes", [](Config& c) -> int& { return c.booking.buffer_minutes; }, 0, 480),
      integer_key("booking.min_notice_hours", [](Config& c) -> int& { return c.booking.min_notice_hours; }, 0, 8760),
      integer_key("booking.horizon_days", [](Config& c) -> int& { return c.booking.horizon_days; }, 1, 730),
      text_list_key("booking.closed_dates", [](Config& c) -> std::vector<std::string>& { return c.booking.closed_dates; }),
      integer_key("booking.max_active_per_address",
                  [](Config& c) -> int& { return c.booking.max_active_per_address; }, 1, 1000),
      integer_key("booking.max_active_per_network",
                  [](Config& c) -> int& { return c.booking.max_active_per_network; }, 1, 100000),
      text_key("booking.meeting_url", [](Config& c) -> std::string& { return c.booking.meeting_url; }),
      {"booking.hosts", Kind::table_list, [](Config& c, const toml::node& n) { c.booking.hosts = read_hosts(n); }},
      integer_key("booking.calendar_sync_seconds", [](Config& c) -> int& { return c.booking.calendar_sync_seconds; },
                  1, 86400),
      integer_key("booking.calendar_max_stale_seconds",
                  [](Config& c) -> int& { return c.booking.calendar_max_stale_seconds; }, 2, 7 * 86400),
      text_key("sales.assign", [](Config& c) -> std::string& { return c.sales.assign; }),
      {"sales.assignees", Kind::table_list,
       [](Config& c, const toml::node& n) { c.sales.assignees = read_assignees(n); }},
      {"webhooks.targets", Kind::table_list,
       [](Config& c, const toml::node& n) {
         const toml::array* array = n.as_array();
         if (array == nullptr) throw std::invalid_argument("expected a list of {url, secret, events} tables");
         c.webhooks.targets.clear();
         for (const auto& element : *array) c.webhooks.targets.push_back(read_webhook(element));
       }},
      text_key("paths.templates", [](Config& c) -> std::string& { return c.paths.templates; }),
      text_key("paths.db", [](Config& c) -> std::string& { return c.paths.db; }),
      text_key("log.level", [](Config& c) -> std::string& { return c.log.level; }),
  };
  return keys;
}

const Key* find_key(std::string_view name) {
  const auto& keys = all_keys();
  auto it = std::find_if(keys.begin(), keys.end(), [name](const Key& k) { return k.name == name; });
  return it == keys.end() ? nullptr : &*it;
}

// Rejects keys nobody reads: a typo must not silently fall back to a default.
void check_known_keys(const toml::table& table, const std::string& prefix) {
  for (auto&& [key, value] : table) {
    std::string path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (find_key(path) != nullptr) continue;
    if (const toml::table* nested = value.as_table()) {
      check_known_keys(*nested, path);
      continue;
    }
    fail(path, "unknown configuration key");
  }
}

// Puts `value` at the dotted `path`, creating the tables on the way.
void assign(toml::table& root, std::string_view path, toml::node&& value) {
  toml::table* table = &root;
  while (true) {
    auto dot = path.find('.');
    if (dot == std::string_view::npos) break;
    auto part = path.substr(0, dot);
    auto [it, inserted] = table->emplace<toml::table>(part);
    if (!it->second.is_table()) it = table->insert_or_assign(part, toml::table{}).first;
    table = it->second.as_table();
    path.remove_prefix(dot + 1);
  }
  table->insert_or_assign(path, std::move(value));
}

std::string trim_copy(std::string_view text) {
  auto begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  auto end = text.find_last_not_of(" \t");
  return std::string(text.substr(begin, end - begin + 1));
}

// An environment variable holds text; its key's kind says how to read it.
// Lists may be TOML arrays (["a", "b"]) or comma-separated (a, b).
toml::array parse_toml_array(std::string_view key, const std::string& text) {
  try {
    auto parsed = toml::parse("value = " + text);
    if (auto* array = parsed["value"].as_array()) return std::move(*array);
  } catch (const toml::parse_error&) {
  }
  fail(key, "the environment variable " + environment_name(key) + " is not a valid TOML list");
}

toml::array parse_environment_list(std::string_view key, const std::string& text) {
  if (trim_copy(text).starts_with('[')) return parse_toml_array(key, text);
  toml::array array;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    auto trimmed = trim_copy(item);
    if (!trimmed.empty()) array.push_back(trimmed);
  }
  return array;
}

void apply_environment(toml::table& root, const char* const* environment) {
  std::map<std::string, std::string, std::less<>> variables;
  for (auto entry = environment; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    auto equals = text.find('=');
    if (equals == std::string_view::npos || !text.starts_with("LEADGATE_")) continue;
    variables.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  for (const Key& key : all_keys()) {
    auto it = variables.find(environment_name(key.name));
    if (it == variables.end()) continue;
    const std::string& text = it->second;
    switch (key.kind) {
      case Kind::text:
        assign(root, key.name, toml::value<std::string>(text));
        break;
      case Kind::integer: {
        std::int64_t number = 0;
        auto trimmed = trim_copy(text);
        auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), number);
        if (error != std::errc{} || end != trimmed.data() + trimmed.size()) {
          fail(key.name, "the environment variable " + it->first + " is not an integer");
        }
        assign(root, key.name, toml::value<std::int64_t>(number));
        break;
      }
      case Kind::number: {
        double number = 0;
        auto trimmed = trim_copy(text);
        auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), number);
        if (error != std::errc{} || end != trimmed.data() + trimmed.size()) {
          fail(key.name, "the environment variable " + it->first + " is not a number");
        }
        assign(root, key.name, toml::value<double>(number));
        break;
      }
      case Kind::text_list:
        assign(root, key.name, parse_environment_list(key.name, text));
        break;
      case Kind::table_list:
        assign(root, key.name, parse_toml_array(key.name, text));
        break;
    }
  }
}

// Secrets live in the environment only, so config files can be committed
// and shown to anyone.
void reject_secrets_in_file(const toml::table& file) {
  if (auto url = file.at_path("database.url").value<std::string>(); url && url_has_password(*url)) {
    fail("database.url", "a password must not be in the configuration file; set LEADGATE_DATABASE_URL instead");
  }
  if (auto url = file.at_path("mail.url").value<std::string>(); url && url_has_password(*url)) {
    fail("mail.url", "a password must not be in the configuration file; set LEADGATE_MAIL_URL instead");
  }
  if (file.at_path("forms.captcha_secret")) {
    fail("forms.captcha_secret", "a secret must not be in the configuration file; set LEADGATE_FORMS_CAPTCHA_SECRET");
  }
  if (file.at_path("webhooks.targets")) {
    fail("webhooks.targets", "targets carry secrets: set LEADGATE_WEBHOOKS_TARGETS instead of the file");
  }
  if (hosts_carry_password(file)) {
    fail("booking.hosts", "a calendar URL with a password must not be in the configuration file; set "
                          "LEADGATE_BOOKING_HOSTS instead");
  }
}

// An http(s) URL whose host may stand in a Content-Security-Policy as it
// is: letters, digits, dots, hyphens, a port; no user:password@, no
// wildcard or separator a policy would read.
bool is_plain_http_url(std::string_view url) {
  if (!is_http_url(url)) return false;
  auto rest = url.substr(url.find("://") + 3);
  auto authority = rest.substr(0, rest.find_first_of("/?#"));
  return !authority.empty() && std::all_of(authority.begin(), authority.end(), [](unsigned char c) {
    return std::isalnum(c) != 0 || c == '.' || c == '-' || c == ':';
  });
}

bool is_origin(std::string_view origin) {
  if (!is_http_url(origin)) return false;
  auto rest = origin.substr(origin.find("://") + 3);
  return !rest.empty() && rest.find_first_of("/?#@ ") == std::string_view::npos;
}

bool is_cidr(const std::string& text) {
  auto slash = text.find('/');
  std::string address = text.substr(0, slash);
  unsigned char buffer[16];
  int max_prefix = 0;
  if (inet_pton(AF_INET, address.c_str(), buffer) == 1) {
    max_prefix = 32;
  } else if (inet_pton(AF_INET6, address.c_str(), buffer) == 1) {
    max_prefix = 128;
  } else {
    return false;
  }
  if (slash == std::string::npos) return true;
  int prefix = -1;
  auto digits = std::string_view(text).substr(slash + 1);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
  return error == std::errc{} && end == digits.data() + digits.size() && prefix >= 0 && prefix <= max_prefix;
}

bool is_date(const std::string& text) {
  // YYYY-MM-DD, and a day that exists (no 2026-02-30).
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year = 0;
  unsigned month = 0;
  unsigned day = 0;
  auto number = [&](std::size_t at, std::size_t length, auto& out) {
    auto [end, error] = std::from_chars(text.data() + at, text.data() + at + length, out);
    return error == std::errc{} && end == text.data() + at + length;
  };
  if (!number(0, 4, year) || !number(5, 2, month) || !number(8, 2, day)) return false;
  return date::year_month_day{date::year{year}, date::month{month}, date::day{day}}.ok();
}

// "HOST:PORT" of `key` into its host and port.
void derive_listen(std::string_view key, const std::string& listen, std::string& host_out, std::uint16_t& port_out) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) fail(key, "expected HOST:PORT, e.g. 127.0.0.1:8080");
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = -1;
  auto digits = std::string_view(listen).substr(colon + 1);
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (error != std::errc{} || end != digits.data() + digits.size() || port < 0 || port > 65535) {
    fail(key, "the port must be a number from 0 to 65535");
  }
  unsigned char buffer[16];
  if (host != "localhost" && inet_pton(AF_INET, host.c_str(), buffer) != 1 &&
      inet_pton(AF_INET6, host.c_str(), buffer) != 1) {
    fail(key, "the host must be an IP address or localhost");
  }
  host_out = host == "localhost" ? "127.0.0.1" : host;
  port_out = static_cast<std::uint16_t>(port);
}

void validate(Config& config) {
  derive_listen("http.listen", config.http.listen, config.http.listen_host, config.http.listen_port);
  derive_listen("worker.listen", config.worker.listen, config.worker.listen_host, config.worker.listen_port);
  if (!config.http.ops_listen.empty()) {
    derive_listen("http.ops_listen", config.http.ops_listen, config.http.ops_listen_host, config.http.ops_listen_port);
  }

  if (!is_http_url(config.http.public_url)) fail("http.public_url", "must start with http:// or https://");
  while (config.http.public_url.ends_with('/')) config.http.public_url.pop_back();
  for (auto& origin : config.http.allowed_origins) {
    while (origin.ends_with('/')) origin.pop_back();
    std::transform(origin.begin(), origin.end(), origin.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!is_origin(origin)) fail("http.allowed_origins", "each entry must be an origin like https://example.com");
  }
  for (const auto& proxy : config.http.trusted_proxies) {
    if (!is_cidr(proxy)) fail("http.trusted_proxies", "each entry must be an IP address or CIDR like 10.0.0.0/8");
  }

  const auto& honeypot = config.forms.honeypot_field;
  if (honeypot.empty() || honeypot.size() > 64 ||
      !std::all_of(honeypot.begin(), honeypot.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '-'; })) {
    fail("forms.honeypot_field", "must be 1-64 letters, digits, '_' or '-'");
  }
  for (auto [key, url] : {std::pair{"forms.success_url.estimate", &config.forms.success_url.estimate},
                          std::pair{"forms.success_url.newsletter", &config.forms.success_url.newsletter},
                          std::pair{"forms.success_url.consultation", &config.forms.success_url.consultation},
                          std::pair{"newsletter.confirmed_url", &config.newsletter.confirmed_url},
                          std::pair{"newsletter.unsubscribed_url", &config.newsletter.unsubscribed_url}}) {
    if (!(url->starts_with('/') && !url->starts_with("//")) && !is_http_url(*url)) {
      fail(key, "must be a path starting with / or an http(s) URL");
    }
  }
  if (config.forms.consent_version.empty() || config.forms.consent_version.size() > 50) {
    fail("forms.consent_version", "must be 1-50 characters");
  }
  for (auto [key, list] : {std::pair{"forms.budgets", &config.forms.budgets},
                           std::pair{"forms.services", &config.forms.services}}) {
    for (const auto& item : *list) {
      if (item.empty() || item.size() > 100) fail(key, "each option must be 1-100 characters");
    }
  }
  const auto& captcha = config.forms.captcha;
  if (captcha != "off" && captcha != "turnstile" && captcha != "hcaptcha") {
    fail("forms.captcha", "must be off, turnstile or hcaptcha");
  }
  if (captcha != "off") {
    if (config.forms.captcha_secret.empty()) fail("forms.captcha_secret", "is required when forms.captcha is on");
    if (config.forms.captcha_verify_url.empty()) {
      config.forms.captcha_verify_url = captcha == "turnstile"
                                            ? "https://challenges.cloudflare.com/turnstile/v0/siteverify"
                                            : "https://api.hcaptcha.com/siteverify";
    }
    if (!is_http_url(config.forms.captcha_verify_url)) fail("forms.captcha_verify_url", "must be an http(s) URL");
    // The booking page cannot take a booking without the widget.
    const auto& site_key = config.forms.captcha_site_key;
    if (site_key.empty()) fail("forms.captcha_site_key", "is required when forms.captcha is on");
    if (site_key.size() > 100 || !std::all_of(site_key.begin(), site_key.end(), [](unsigned char c) {
          return std::isalnum(c) != 0 || c == '-' || c == '_';
        })) {
      fail("forms.captcha_site_key", "must be 1-100 letters, digits, '-' or '_'");
    }
    if (!config.forms.captcha_script_url.empty() && !is_plain_http_url(config.forms.captcha_script_url)) {
      fail("forms.captcha_script_url", "must be an http(s) URL with a plain host name and no credentials");
    }
  }
  if (!config.forms.rspamd_url.empty()) {
    if (!is_http_url(config.forms.rspamd_url)) fail("forms.rspamd_url", "must be an http(s) URL");
    while (config.forms.rspamd_url.ends_with('/')) config.forms.rspamd_url.pop_back();
  }

  const auto& mail_url = config.mail.url;
  if (!mail_url.starts_with("smtp://") && !mail_url.starts_with("smtps://") && !mail_url.starts_with("file://")) {
    fail("mail.url", "must start with smtp://, smtps:// or file://");
  }
  if (mail_url == "file://") fail("mail.url", "file:// needs a directory, e.g. file://.dev/outbox");
  if (!is_operator_mailbox(config.mail.from)) fail("mail.from", "expected \"Name <address@host>\" or an address");
  if (config.mail.retry_max_seconds < config.mail.retry_base_seconds) {
    fail("mail.retry_max_seconds", "must be at least mail.retry_base_seconds");
  }
  if (!is_operator_mailbox(config.mail.sales_inbox) || config.mail.sales_inbox.find('<') != std::string::npos) {
    fail("mail.sales_inbox", "expected an e-mail address");
  }

  try {
    date::locate_zone(config.booking.timezone);
  } catch (const std::exception&) {
    fail("booking.timezone", "unknown time zone; expected an IANA name such as Europe/Berlin");
  }
  for (const auto& day : config.booking.closed_dates) {
    if (!is_date(day)) fail("booking.closed_dates", "each entry must be a date YYYY-MM-DD");
  }
  validate_hosts(config.booking);
  if (!config.booking.meeting_url.empty() && !is_http_url(config.booking.meeting_url)) {
    fail("booking.meeting_url", "must be an http(s) URL, e.g. https://meet.jit.si/studio-{booking_id}");
  }

  validate_sales(config.sales);

  static constexpr std::string_view events[] = {"lead.created",      "subscriber.confirmed", "booking.created",
                                                "booking.cancelled", "booking.rescheduled",  "booking.no_show"};
  for (const auto& target : config.webhooks.targets) {
    if (!is_http_url(target.url)) fail("webhooks.targets", "each target needs an http(s) url");
    if (target.secret.size() < 16) fail("webhooks.targets", "each target needs a secret of 16 characters or more");
    // A target that wants no event would be configured and silently sent nothing.
    if (target.events.empty()) fail("webhooks.targets", "each target needs at least one event");
    for (const auto& event : target.events) {
      if (std::find(std::begin(events), std::end(events), event) == std::end(events)) {
        fail("webhooks.targets", "unknown event; expected lead.created, subscriber.confirmed, booking.created, "
                                 "booking.cancelled, booking.rescheduled or booking.no_show");
      }
    }
  }

  if (config.paths.templates.empty()) fail("paths.templates", "must not be empty");
  if (config.paths.db.empty()) fail("paths.db", "must not be empty");
  static constexpr std::string_view levels[] = {"trace", "debug", "info", "warn", "error", "off"};
  if (std::find(std::begin(levels), std::end(levels), config.log.level) == std::end(levels)) {
    fail("log.level", "must be one of trace, debug, info, warn, error, off");
  }
}

}  // namespace

std::string environment_name(std::string_view key) {
  std::string name = "LEADGATE_";
  for (char c : key) name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return name;
}

Config load(const std::string& file, bool file_required, const char* const* environment) {
  toml::table merged;
  if (std::filesystem::exists(file)) {
    try {
      merged = toml::parse_file(file);
    } catch (const toml::parse_error& error) {
      std::ostringstream message;
      message << file << ": not valid TOML (line " << error.source().begin.line << "): " << error.description();
      throw ConfigError(message.str());
    }
    check_known_keys(merged, "");
    reject_secrets_in_file(merged);
  } else if (file_required) {
    throw ConfigError(file + ": configuration file not found");
  }
  apply_environment(merged, environment);

  Config config;
  for (const Key& key : all_keys()) {
    auto node = merged.at_path(key.name);
    if (!node) continue;
    try {
      key.read(config, *node.node());
    } catch (const std::invalid_argument& error) {
      fail(key.name, error.what());
    }
  }
  validate(config);
  return config;
}

}  // namespace leadgate::config
