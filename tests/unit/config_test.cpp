// config::load: defaults, the TOML file, LEADGATE_* overrides, validation
// (docs/configuration.md).

#include "config/config.hpp"
#include "config/sales_assignees.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace {

using leadgate::config::Config;
using leadgate::config::ConfigError;
using leadgate::config::environment_name;
using leadgate::config::load;
using leadgate::config::MinuteRange;

using Environment = std::vector<std::string>;

// A TOML file in the temporary directory, removed when the test ends.
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            ("leadgate_config_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + ".toml");
    std::ofstream(path_) << content;
  }
  ~TempFile() { std::filesystem::remove(path_); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  std::string path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

// "NAME=VALUE" strings as a null-terminated array, like environ.
std::vector<const char*> as_environ(const Environment& environment) {
  std::vector<const char*> pointers;
  for (const auto& entry : environment) pointers.push_back(entry.c_str());
  pointers.push_back(nullptr);
  return pointers;
}

Config load_config(const std::string& toml, const Environment& environment = {}) {
  TempFile file(toml);
  return load(file.path(), true, as_environ(environment).data());
}

Config load_environment(const Environment& environment) {
  return load("/nonexistent/leadgate.toml", false, as_environ(environment).data());
}

// The ConfigError message loading gives, or "<loaded>" when it succeeds.
std::string error_of(const std::string& toml, const Environment& environment = {}) {
  try {
    load_config(toml, environment);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "<loaded>";
}

std::string environment_error_of(const Environment& environment) { return error_of("", environment); }

bool is_error_for(const std::string& message, const std::string& key) { return message.starts_with(key + ":"); }

std::vector<std::pair<int, int>> ranges(const std::vector<MinuteRange>& day) {
  std::vector<std::pair<int, int>> out;
  for (auto range : day) out.emplace_back(range.begin, range.end);
  return out;
}

std::vector<std::pair<int, int>> monday_hours(const std::string& list) {
  return ranges(load_config("[booking.hours]\nmon = " + list + "\n").booking.hours[0]);
}

std::string monday_hours_error(const std::string& list) { return error_of("[booking.hours]\nmon = " + list + "\n"); }

std::string listen_error(const std::string& listen) { return environment_error_of({"LEADGATE_HTTP_LISTEN=" + listen}); }

std::string closed_dates_error(const std::string& date) {
  return error_of("[booking]\nclosed_dates = [\"" + date + "\"]\n");
}

}  // namespace

// --- defaults ---------------------------------------------------------------

// config/leadgate.toml is the reference an operator reads: every value in it
// must be what the binary does without it, or the file would describe
// another service. Section by section, so a failure names the section.
TEST(config, the_shipped_file_states_exactly_the_built_in_defaults) {
  auto shipped = load(std::string(LEADGATE_SOURCE_DIR) + "/config/leadgate.toml", true, as_environ({}).data());
  auto built_in = load_environment({});
  EXPECT_TRUE(shipped.database == built_in.database);
  EXPECT_TRUE(shipped.http == built_in.http);
  EXPECT_TRUE(shipped.limits == built_in.limits);
  EXPECT_TRUE(shipped.forms == built_in.forms);
  EXPECT_TRUE(shipped.mail == built_in.mail);
  EXPECT_TRUE(shipped.newsletter == built_in.newsletter);
  EXPECT_TRUE(shipped.exports == built_in.exports);
  EXPECT_TRUE(shipped.worker == built_in.worker);
  EXPECT_TRUE(shipped.booking == built_in.booking);
  EXPECT_TRUE(shipped.webhooks == built_in.webhooks);
  EXPECT_TRUE(shipped.paths == built_in.paths);
  EXPECT_TRUE(shipped.log == built_in.log);
}

TEST(config, without_a_file_the_built_in_defaults_apply) {
  auto config = load_environment({});
  EXPECT_EQ(config.database.url, "");
  EXPECT_EQ(config.database.pool_size, 8);
  EXPECT_EQ(config.http.listen, "127.0.0.1:8080");
  EXPECT_EQ(config.http.listen_host, "127.0.0.1");
  EXPECT_EQ(config.http.listen_port, 8080);
  EXPECT_EQ(config.http.public_url, "http://localhost:8080");
  EXPECT_TRUE(config.http.allowed_origins.empty());
  EXPECT_TRUE(config.http.trusted_proxies.empty());
  EXPECT_EQ(config.http.max_body_bytes, 65536u);
  EXPECT_EQ(config.limits.per_minute, 5);
  EXPECT_EQ(config.limits.burst, 10);
  EXPECT_EQ(config.forms.honeypot_field, "_gotcha");
  EXPECT_EQ(config.forms.min_fill_seconds, 3);
  EXPECT_EQ(config.forms.success_url.estimate, "/thanks");
  EXPECT_EQ(config.forms.success_url.newsletter, "/thanks");
  EXPECT_EQ(config.forms.success_url.consultation, "/thanks");
  EXPECT_EQ(config.forms.captcha, "off");
  EXPECT_EQ(config.mail.url, "file://.dev/outbox");
  EXPECT_EQ(config.mail.from, "Studio <hello@localhost>");
  EXPECT_EQ(config.mail.sales_inbox, "sales@localhost");
  EXPECT_EQ(config.mail.max_attempts, 8);
  EXPECT_DOUBLE_EQ(config.mail.per_second, 20);
  EXPECT_EQ(config.booking.timezone, "Europe/Berlin");
  EXPECT_EQ(config.booking.slot_minutes, 30);
  EXPECT_EQ(config.booking.buffer_minutes, 0);
  EXPECT_EQ(config.booking.min_notice_hours, 24);
  EXPECT_EQ(config.booking.horizon_days, 60);
  EXPECT_TRUE(config.booking.closed_dates.empty());
  EXPECT_TRUE(config.webhooks.targets.empty());
}

TEST(config, default_opening_hours_are_nine_to_five_on_weekdays_only) {
  auto config = load_environment({});
  for (int day = 0; day < 5; ++day)
    EXPECT_EQ(ranges(config.booking.hours[day]), (std::vector<std::pair<int, int>>{{540, 1020}}));
  EXPECT_TRUE(config.booking.hours[5].empty());
  EXPECT_TRUE(config.booking.hours[6].empty());
}

TEST(config, an_empty_file_gives_the_defaults) { EXPECT_EQ(load_config("").http.listen_port, 8080); }

TEST(config, a_required_file_that_is_missing_is_an_error_naming_it) {
  const char* const no_environment[] = {nullptr};
  try {
    load("/nonexistent/leadgate.toml", true, no_environment);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/leadgate.toml"), std::string::npos) << error.what();
  }
}

TEST(config, a_file_that_is_not_toml_is_an_error_naming_the_file) {
  TempFile file("[http\nlisten = ");
  const char* const no_environment[] = {nullptr};
  try {
    load(file.path(), true, no_environment);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find(file.path()), std::string::npos) << error.what();
  }
}

// --- file and environment ---------------------------------------------------

TEST(config, values_in_the_file_replace_defaults) {
  auto config = load_config(R"(
[database]
pool_size = 16
[http]
listen = "0.0.0.0:9090"
public_url = "https://forms.studio.example/"
allowed_origins = ["https://studio.example"]
trusted_proxies = ["10.0.0.0/8", "::1"]
[forms.success_url]
estimate = "https://studio.example/thanks"
[mail]
per_second = 2.5
[booking]
timezone = "America/New_York"
closed_dates = ["2026-12-25"]
[booking.hours]
sat = ["10:00-14:00"]
)");
  EXPECT_EQ(config.database.pool_size, 16);
  EXPECT_EQ(config.http.listen_host, "0.0.0.0");
  EXPECT_EQ(config.http.listen_port, 9090);
  EXPECT_EQ(config.http.public_url, "https://forms.studio.example");  // trailing slash dropped
  EXPECT_EQ(config.http.allowed_origins, std::vector<std::string>{"https://studio.example"});
  EXPECT_EQ(config.http.trusted_proxies, (std::vector<std::string>{"10.0.0.0/8", "::1"}));
  EXPECT_EQ(config.forms.success_url.estimate, "https://studio.example/thanks");
  EXPECT_EQ(config.forms.success_url.newsletter, "/thanks");
  EXPECT_DOUBLE_EQ(config.mail.per_second, 2.5);
  EXPECT_EQ(config.booking.timezone, "America/New_York");
  EXPECT_EQ(config.booking.closed_dates, std::vector<std::string>{"2026-12-25"});
  EXPECT_EQ(ranges(config.booking.hours[5]), (std::vector<std::pair<int, int>>{{600, 840}}));
  EXPECT_EQ(ranges(config.booking.hours[0]), (std::vector<std::pair<int, int>>{{540, 1020}}));  // untouched
}

TEST(config, environment_wins_over_the_file) {
  auto config = load_config("[http]\nlisten = \"127.0.0.1:9000\"\n[limits]\nburst = 3\n",
                            {"LEADGATE_HTTP_LISTEN=127.0.0.1:7000", "LEADGATE_LIMITS_BURST=30"});
  EXPECT_EQ(config.http.listen_port, 7000);
  EXPECT_EQ(config.limits.burst, 30);
}

TEST(config, environment_sets_text_integer_and_number_keys) {
  auto config =
      load_environment({"LEADGATE_DATABASE_URL=postgresql://app:secret@db/leadgate", "LEADGATE_DATABASE_POOL_SIZE= 4 ",
                        "LEADGATE_MAIL_PER_SECOND=0.5", "LEADGATE_FORMS_SUCCESS_URL_NEWSLETTER=/subscribed"});
  EXPECT_EQ(config.database.url, "postgresql://app:secret@db/leadgate");
  EXPECT_EQ(config.database.pool_size, 4);
  EXPECT_DOUBLE_EQ(config.mail.per_second, 0.5);
  EXPECT_EQ(config.forms.success_url.newsletter, "/subscribed");
}

TEST(config, environment_variables_of_other_programs_are_ignored) {
  auto config = load_environment({"HTTP_LISTEN=nonsense", "PATH=/usr/bin", "LEADGATE_UNKNOWN=1", "NOEQUALS"});
  EXPECT_EQ(config.http.listen_port, 8080);
}

TEST(config, environment_lists_may_be_comma_separated) {
  auto config = load_environment({"LEADGATE_HTTP_ALLOWED_ORIGINS=https://a.example, https://b.example ,"});
  EXPECT_EQ(config.http.allowed_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
}

TEST(config, environment_lists_may_be_toml_arrays) {
  auto config = load_environment({R"(LEADGATE_HTTP_ALLOWED_ORIGINS=["https://a.example","https://b.example"])"});
  EXPECT_EQ(config.http.allowed_origins, (std::vector<std::string>{"https://a.example", "https://b.example"}));
}

TEST(config, an_empty_environment_list_clears_the_file_list) {
  auto config = load_config("[forms]\nservices = [\"api\"]\n", {"LEADGATE_FORMS_SERVICES="});
  EXPECT_TRUE(config.forms.services.empty());
}

TEST(config, a_malformed_toml_array_in_the_environment_names_the_key) {
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_FORMS_BUDGETS=[\"a\","}), "forms.budgets"));
}

TEST(config, environment_name_is_leadgate_and_the_key_upper_cased_with_underscores) {
  EXPECT_EQ(environment_name("http.listen"), "LEADGATE_HTTP_LISTEN");
  EXPECT_EQ(environment_name("booking.hours.mon"), "LEADGATE_BOOKING_HOURS_MON");
  EXPECT_EQ(environment_name("forms.success_url.estimate"), "LEADGATE_FORMS_SUCCESS_URL_ESTIMATE");
  EXPECT_EQ(environment_name("database.url"), "LEADGATE_DATABASE_URL");
}

// --- type and range errors name the key -------------------------------------

TEST(config, a_non_integer_environment_value_names_the_key_and_variable) {
  auto message = environment_error_of({"LEADGATE_DATABASE_POOL_SIZE=eight"});
  EXPECT_TRUE(is_error_for(message, "database.pool_size")) << message;
  EXPECT_NE(message.find("LEADGATE_DATABASE_POOL_SIZE"), std::string::npos) << message;
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_HTTP_MAX_BODY_BYTES=64k"}), "http.max_body_bytes"));
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_LIMITS_BURST=1.5"}), "limits.burst"));
}

TEST(config, a_non_number_environment_value_names_the_key) {
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_MAIL_PER_SECOND=fast"}), "mail.per_second"));
}

TEST(config, an_integer_out_of_range_names_the_key) {
  EXPECT_TRUE(is_error_for(error_of("[database]\npool_size = 0\n"), "database.pool_size"));
  EXPECT_TRUE(is_error_for(error_of("[booking]\nslot_minutes = 1000\n"), "booking.slot_minutes"));
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_HTTP_MAX_BODY_BYTES=100"}), "http.max_body_bytes"));
  EXPECT_TRUE(is_error_for(error_of("[mail]\nper_second = 0\n"), "mail.per_second"));
}

TEST(config, a_value_of_the_wrong_toml_type_names_the_key) {
  EXPECT_TRUE(is_error_for(error_of("[database]\npool_size = \"8\"\n"), "database.pool_size"));
  EXPECT_TRUE(is_error_for(error_of("[http]\nlisten = 8080\n"), "http.listen"));
  EXPECT_TRUE(is_error_for(error_of("[http]\nallowed_origins = \"https://a.example\"\n"), "http.allowed_origins"));
}

TEST(config, an_unknown_key_in_the_file_is_rejected_naming_it) {
  EXPECT_TRUE(is_error_for(error_of("[http]\nlisen = \"127.0.0.1:1\"\n"), "http.lisen"));
  EXPECT_TRUE(is_error_for(error_of("colour = \"blue\"\n"), "colour"));
  EXPECT_TRUE(is_error_for(error_of("[databse]\nurl = \"postgresql://db/x\"\n"), "databse.url"));
  EXPECT_TRUE(is_error_for(error_of("[booking.hours]\nmonday = []\n"), "booking.hours.monday"));
}

// --- secrets stay out of the file -------------------------------------------

TEST(config, a_password_in_the_file_database_url_is_rejected_without_repeating_it) {
  for (std::string url : {"postgresql://app:hunter2@db/leadgate", "host=db user=app password=hunter2"}) {
    auto message = error_of("[database]\nurl = \"" + url + "\"\n");
    EXPECT_TRUE(is_error_for(message, "database.url")) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  }
}

TEST(config, a_database_url_without_password_is_fine_in_the_file) {
  EXPECT_EQ(load_config("[database]\nurl = \"postgresql://app@db:5432/leadgate\"\n").database.url,
            "postgresql://app@db:5432/leadgate");
}

TEST(config, a_password_in_the_database_url_from_the_environment_is_accepted) {
  EXPECT_EQ(load_config("", {"LEADGATE_DATABASE_URL=postgresql://app:hunter2@db/leadgate"}).database.url,
            "postgresql://app:hunter2@db/leadgate");
}

TEST(config, a_password_in_the_file_mail_url_is_rejected) {
  auto message = error_of("[mail]\nurl = \"smtp://user:hunter2@smtp.example:587\"\n");
  EXPECT_TRUE(is_error_for(message, "mail.url")) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
}

TEST(config, captcha_secret_and_webhook_targets_are_rejected_in_the_file) {
  EXPECT_TRUE(is_error_for(error_of("[forms]\ncaptcha_secret = \"s\"\n"), "forms.captcha_secret"));
  EXPECT_TRUE(
      is_error_for(error_of("[[webhooks.targets]]\nurl = \"https://hooks.example\"\nsecret = \"0123456789abcdef\"\n"),
                   "webhooks.targets"));
}

// --- http -------------------------------------------------------------------

TEST(config, listen_accepts_ipv4_ipv6_localhost_and_port_zero) {
  auto ipv6 = load_environment({"LEADGATE_HTTP_LISTEN=[::1]:9000"});
  EXPECT_EQ(ipv6.http.listen_host, "::1");
  EXPECT_EQ(ipv6.http.listen_port, 9000);
  auto local = load_environment({"LEADGATE_HTTP_LISTEN=localhost:0"});
  EXPECT_EQ(local.http.listen_host, "127.0.0.1");
  EXPECT_EQ(local.http.listen_port, 0);
}

TEST(config, a_bad_listen_address_names_http_listen) {
  for (std::string listen : {"8080", ":8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1",
                             "127.0.0.1:80x", "example.com:80", "999.0.0.1:80", ""}) {
    EXPECT_TRUE(is_error_for(listen_error(listen), "http.listen")) << listen << " → " << listen_error(listen);
  }
}

TEST(config, allowed_origins_are_normalised_and_must_be_origins) {
  auto config = load_environment({"LEADGATE_HTTP_ALLOWED_ORIGINS=https://Studio.Example/"});
  EXPECT_EQ(config.http.allowed_origins, std::vector<std::string>{"https://studio.example"});
  for (std::string bad :
       {"studio.example", "https://studio.example/path", "ftp://studio.example", "https://user@studio.example"}) {
    EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_HTTP_ALLOWED_ORIGINS=" + bad}), "http.allowed_origins"))
        << bad;
  }
}

TEST(config, trusted_proxies_must_be_addresses_or_cidrs) {
  for (std::string bad : {"proxy.internal", "10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x"}) {
    EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_HTTP_TRUSTED_PROXIES=" + bad}), "http.trusted_proxies"))
        << bad;
  }
}

// --- booking ----------------------------------------------------------------

TEST(config, an_unknown_time_zone_names_booking_timezone) {
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_BOOKING_TIMEZONE=Mars/Olympus_Mons"}), "booking.timezone"));
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_BOOKING_TIMEZONE="}), "booking.timezone"));
}

TEST(config, opening_hours_are_parsed_into_sorted_minute_ranges) {
  EXPECT_EQ(monday_hours(R"(["13:00-17:30", "08:15-12:00"])"),
            (std::vector<std::pair<int, int>>{{495, 720}, {780, 1050}}));
  EXPECT_EQ(monday_hours(R"(["00:00-24:00"])"), (std::vector<std::pair<int, int>>{{0, 1440}}));
  EXPECT_TRUE(monday_hours("[]").empty());
}

TEST(config, adjacent_opening_hours_do_not_overlap) {
  EXPECT_EQ(monday_hours(R"(["09:00-12:00", "12:00-13:00"])").size(), 2u);
}

TEST(config, overlapping_opening_hours_name_the_day) {
  EXPECT_TRUE(is_error_for(monday_hours_error(R"(["09:00-12:00", "11:59-13:00"])"), "booking.hours.mon"));
}

TEST(config, opening_hours_that_end_before_they_begin_name_the_day) {
  EXPECT_TRUE(is_error_for(monday_hours_error(R"(["17:00-09:00"])"), "booking.hours.mon"));
  EXPECT_TRUE(is_error_for(monday_hours_error(R"(["09:00-09:00"])"), "booking.hours.mon"));
}

TEST(config, malformed_opening_hours_name_the_day) {
  for (std::string range : {"9:00-17:00", "09:00", "09:00-17", "24:30-25:00", "09:60-10:00", "09:00-24:01",
                            "ab:cd-ef:gh", "09.00-17.00", "09:00 - 17:00"}) {
    EXPECT_TRUE(is_error_for(monday_hours_error("[\"" + range + "\"]"), "booking.hours.mon")) << range;
  }
}

TEST(config, opening_hours_from_the_environment_are_a_list) {
  auto config = load_environment({"LEADGATE_BOOKING_HOURS_SUN=10:00-12:00, 14:00-16:00"});
  EXPECT_EQ(ranges(config.booking.hours[6]), (std::vector<std::pair<int, int>>{{600, 720}, {840, 960}}));
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_BOOKING_HOURS_TUE=late"}), "booking.hours.tue"));
}

TEST(config, closed_dates_must_be_real_calendar_dates) {
  EXPECT_EQ(load_config("[booking]\nclosed_dates = [\"2028-02-29\", \"2026-12-31\"]\n").booking.closed_dates.size(),
            2u);
  for (std::string bad : {"2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "2026-1-01", "26-01-01",
                          "2026/01/01", "2026-01-01T00:00", "tomorrow", ""}) {
    EXPECT_TRUE(is_error_for(closed_dates_error(bad), "booking.closed_dates")) << bad;
  }
}

// --- forms ------------------------------------------------------------------

TEST(config, a_captcha_without_its_secret_names_forms_captcha_secret) {
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_FORMS_CAPTCHA=turnstile"}), "forms.captcha_secret"));
  EXPECT_TRUE(is_error_for(error_of("[forms]\ncaptcha = \"hcaptcha\"\n"), "forms.captcha_secret"));
}

TEST(config, a_captcha_verify_url_defaults_to_the_providers) {
  auto turnstile = load_environment({"LEADGATE_FORMS_CAPTCHA=turnstile", "LEADGATE_FORMS_CAPTCHA_SECRET=s3cret",
                                     "LEADGATE_FORMS_CAPTCHA_SITE_KEY=0x4AAA"});
  EXPECT_EQ(turnstile.forms.captcha_verify_url, "https://challenges.cloudflare.com/turnstile/v0/siteverify");
  auto hcaptcha = load_environment({"LEADGATE_FORMS_CAPTCHA=hcaptcha", "LEADGATE_FORMS_CAPTCHA_SECRET=s3cret",
                                    "LEADGATE_FORMS_CAPTCHA_SITE_KEY=10000000-ffff-ffff-ffff-000000000001"});
  EXPECT_EQ(hcaptcha.forms.captcha_verify_url, "https://api.hcaptcha.com/siteverify");
}

// The booking page shows the widget, which needs the provider's site key.
TEST(config, a_captcha_without_its_site_key_names_forms_captcha_site_key) {
  EXPECT_TRUE(is_error_for(
      environment_error_of({"LEADGATE_FORMS_CAPTCHA=turnstile", "LEADGATE_FORMS_CAPTCHA_SECRET=s3cret"}),
      "forms.captcha_site_key"));
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_FORMS_CAPTCHA=turnstile", "LEADGATE_FORMS_CAPTCHA_SECRET=s",
                                                 "LEADGATE_FORMS_CAPTCHA_SITE_KEY=\"><script>"}),
                           "forms.captcha_site_key"));
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_FORMS_CAPTCHA=hcaptcha", "LEADGATE_FORMS_CAPTCHA_SECRET=s",
                                                 "LEADGATE_FORMS_CAPTCHA_SITE_KEY=k",
                                                 "LEADGATE_FORMS_CAPTCHA_SCRIPT_URL=javascript:alert(1)"}),
                           "forms.captcha_script_url"));
  // Its host goes into the page's policy as it is: no wildcard, no
  // separator, no credentials.
  for (std::string bad : {"https://*/api.js", "https://a.example;script-src/api.js", "https://u:p@a.example/api.js"}) {
    EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_FORMS_CAPTCHA=hcaptcha", "LEADGATE_FORMS_CAPTCHA_SECRET=s",
                                                   "LEADGATE_FORMS_CAPTCHA_SITE_KEY=k",
                                                   "LEADGATE_FORMS_CAPTCHA_SCRIPT_URL=" + bad}),
                             "forms.captcha_script_url"))
        << bad;
  }
}

TEST(config, an_unknown_captcha_provider_names_forms_captcha) {
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_FORMS_CAPTCHA=recaptcha"}), "forms.captcha"));
}

TEST(config, success_urls_must_be_local_paths_or_http_urls) {
  for (std::string bad : {"thanks", "//evil.example/thanks", "javascript:alert(1)"}) {
    EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_FORMS_SUCCESS_URL_ESTIMATE=" + bad}),
                             "forms.success_url.estimate"))
        << bad;
  }
}

TEST(config, a_bad_honeypot_field_name_is_rejected) {
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_FORMS_HONEYPOT_FIELD=a b"}), "forms.honeypot_field"));
}

// --- mail, webhooks, log -----------------------------------------------------

TEST(config, mail_url_must_be_smtp_smtps_or_a_file_directory) {
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_MAIL_URL=http://mail.example"}), "mail.url"));
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_MAIL_URL=file://"}), "mail.url"));
  EXPECT_EQ(load_environment({"LEADGATE_MAIL_URL=smtps://u:p@smtp.example:465"}).mail.url,
            "smtps://u:p@smtp.example:465");
}

TEST(config, mail_addresses_are_checked) {
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_MAIL_FROM=Studio"}), "mail.from"));
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_MAIL_FROM=a@b\r\nBcc: x@y"}), "mail.from"));
  EXPECT_TRUE(
      is_error_for(environment_error_of({"LEADGATE_MAIL_SALES_INBOX=Sales <s@example.com>"}), "mail.sales_inbox"));
}

TEST(config, webhook_targets_come_from_the_environment) {
  auto config = load_environment({R"(LEADGATE_WEBHOOKS_TARGETS=[{url = "https://hooks.example/in", )"
                                  R"(secret = "0123456789abcdef", events = ["lead.created"]}])"});
  ASSERT_EQ(config.webhooks.targets.size(), 1u);
  EXPECT_EQ(config.webhooks.targets[0].url, "https://hooks.example/in");
  EXPECT_EQ(config.webhooks.targets[0].events, std::vector<std::string>{"lead.created"});
}

TEST(config, webhook_targets_with_a_short_secret_or_unknown_event_are_rejected) {
  auto target = [](std::string secret, std::string event) {
    return R"(LEADGATE_WEBHOOKS_TARGETS=[{url = "https://hooks.example", secret = ")" + secret + R"(", events = [")" +
           event + R"("]}])";
  };
  auto short_secret = environment_error_of({target("tooshort", "lead.created")});
  EXPECT_TRUE(is_error_for(short_secret, "webhooks.targets")) << short_secret;
  EXPECT_EQ(short_secret.find("tooshort"), std::string::npos) << short_secret;
  EXPECT_TRUE(is_error_for(environment_error_of({target("0123456789abcdef", "lead.deleted")}), "webhooks.targets"));
}

TEST(config, a_webhook_target_that_wants_no_event_is_rejected) {
  auto empty = environment_error_of(
      {R"(LEADGATE_WEBHOOKS_TARGETS=[{url = "https://hooks.example", secret = "0123456789abcdef", events = []}])"});
  EXPECT_TRUE(is_error_for(empty, "webhooks.targets")) << empty;
  auto missing = environment_error_of(
      {R"(LEADGATE_WEBHOOKS_TARGETS=[{url = "https://hooks.example", secret = "0123456789abcdef"}])"});
  EXPECT_TRUE(is_error_for(missing, "webhooks.targets")) << missing;
}

TEST(config, sales_assignees_are_read_in_order_and_round_robin_takes_their_names_as_turns) {
  auto config = load_config(R"([sales]
assign = "round_robin"
assignees = [{name = "Ana Lima", email = "ana@studio.example"}, {name = "Ben", email = "ben@studio.example"}]
)");
  ASSERT_EQ(config.sales.assignees.size(), 2u);
  EXPECT_EQ(config.sales.assignees[1].email, "ben@studio.example");
  EXPECT_EQ(leadgate::config::assignment_turns(config.sales), R"({"Ana Lima","Ben"})");
  config.sales.assign = "none";
  EXPECT_EQ(leadgate::config::assignment_turns(config.sales), "{}");
}

TEST(config, sales_assignees_can_come_from_the_environment) {
  auto config = load_environment({"LEADGATE_SALES_ASSIGN=round_robin",
                                  R"(LEADGATE_SALES_ASSIGNEES=[{name = "Ana", email = "ana@studio.example"}])"});
  ASSERT_EQ(config.sales.assignees.size(), 1u);
  EXPECT_EQ(config.sales.assignees[0].name, "Ana");
}

TEST(config, bad_sales_assignment_is_refused) {
  auto assignees = [](std::string list) { return "LEADGATE_SALES_ASSIGNEES=" + list; };
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_SALES_ASSIGN=round_robin"}), "sales.assign"));
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_SALES_ASSIGN=random"}), "sales.assign"));
  EXPECT_TRUE(is_error_for(
      environment_error_of({assignees(R"([{name = "Ana", email = "a@x.example"}, {name = "Ana", email = "b@x.example"}])")}),
      "sales.assignees"));
  EXPECT_TRUE(is_error_for(environment_error_of({assignees(R"([{name = "", email = "a@x.example"}])")}),
                           "sales.assignees"));
  EXPECT_TRUE(is_error_for(environment_error_of({assignees(R"([{name = "Ana", email = "Ana <a@x.example>"}])")}),
                           "sales.assignees"));
  EXPECT_TRUE(is_error_for(environment_error_of({assignees("[{name = \"Ana\", email = \"a@x.example\", team = \"x\"}]")}),
                           "sales.assignees"));
  std::string long_name(101, 'a');
  EXPECT_TRUE(is_error_for(
      environment_error_of({assignees(R"([{name = ")" + long_name + R"(", email = "a@x.example"}])")}),
      "sales.assignees"));
}

TEST(config, log_level_must_be_a_known_level) {
  EXPECT_EQ(load_environment({"LEADGATE_LOG_LEVEL=debug"}).log.level, "debug");
  EXPECT_TRUE(is_error_for(environment_error_of({"LEADGATE_LOG_LEVEL=verbose"}), "log.level"));
}

TEST(config, a_password_in_the_query_of_a_database_url_in_the_file_is_refused) {
  auto error = error_of("[database]\nurl = \"postgresql://app@db/leadgate?password=hunter2\"\n");
  EXPECT_NE(error.find("database.url"), std::string::npos) << error;
  EXPECT_EQ(error.find("hunter2"), std::string::npos) << error;
}

TEST(config, opening_hours_must_be_digits) {
  EXPECT_NE(monday_hours_error(R"(["09:00-10:-5"])").find("booking.hours.mon"), std::string::npos);
  EXPECT_NE(monday_hours_error(R"(["+9:00-10:00"])").find("booking.hours.mon"), std::string::npos);
}

TEST(config, allowed_origins_in_upper_case_are_accepted_and_lower_cased) {
  auto config = load_environment({"LEADGATE_HTTP_ALLOWED_ORIGINS=HTTPS://Studio.Example"});
  EXPECT_EQ(config.http.allowed_origins, std::vector<std::string>{"https://studio.example"});
}

// booking.hosts

constexpr const char* two_hosts_file = R"([[booking.hosts]]
id = "ana"
name = "Ana Lima"
email = "ana@example.com"
calendars = ["https://dav.example/ana/work/"]
hours = {mon = ["09:00-12:00"], thu = ["13:00-17:00"]}

[[booking.hosts]]
id = "ben"
name = "Ben Okafor"
email = "ben@example.com"
)";

TEST(config, hosts_are_read_with_their_calendars_and_own_hours) {
  auto config = load_config(two_hosts_file);
  ASSERT_EQ(config.booking.hosts.size(), 2u);
  const auto& ana = config.booking.hosts[0];
  EXPECT_EQ(ana.id, "ana");
  EXPECT_EQ(ana.calendars, std::vector<std::string>{"https://dav.example/ana/work/"});
  ASSERT_TRUE(ana.hours.has_value());
  EXPECT_EQ(ranges((*ana.hours)[0]), (std::vector<std::pair<int, int>>{{540, 720}}));
  EXPECT_TRUE((*ana.hours)[1].empty()) << "a day the host's hours do not name has none";
  EXPECT_EQ(ranges((*ana.hours)[3]), (std::vector<std::pair<int, int>>{{780, 1020}}));
  EXPECT_FALSE(config.booking.hosts[1].hours.has_value()) << "Ben keeps booking.hours";
}

TEST(config, without_hosts_there_are_none_and_the_sync_defaults_apply) {
  auto config = load_environment({});
  EXPECT_TRUE(config.booking.hosts.empty());
  EXPECT_EQ(config.booking.calendar_sync_seconds, 300);
  EXPECT_EQ(config.booking.calendar_max_stale_seconds, 900);
}

TEST(config, a_calendar_password_is_refused_in_the_file_and_taken_from_the_environment) {
  std::string with_password =
      R"([{id = "ana", name = "Ana", email = "ana@example.com", calendars = ["https://ana:s3cret@dav.example/ana/"]}])";
  auto error = error_of("[booking]\nhosts = " + with_password + "\n");
  EXPECT_TRUE(is_error_for(error, "booking.hosts")) << error;
  EXPECT_EQ(error.find("s3cret"), std::string::npos) << "the message does not repeat the secret";
  auto config = load_environment({"LEADGATE_BOOKING_HOSTS=" + with_password});
  ASSERT_EQ(config.booking.hosts.size(), 1u);
  EXPECT_EQ(config.booking.hosts[0].calendars[0], "https://ana:s3cret@dav.example/ana/");
}

TEST(config, hosts_need_unique_slug_ids_an_address_and_calendar_urls) {
  auto host = [](const std::string& fields) { return "LEADGATE_BOOKING_HOSTS=[{" + fields + "}]"; };
  std::string valid = R"(id = "ana", name = "Ana", email = "ana@example.com")";
  EXPECT_EQ(environment_error_of({host(valid)}), "<loaded>");
  for (const auto& bad : {std::string(R"(id = "Ana", name = "Ana", email = "ana@example.com")"),
                          std::string(R"(id = "ana", name = "", email = "ana@example.com")"),
                          std::string(R"(id = "ana", name = "Ana", email = "not an address")"),
                          valid + R"(, calendars = ["ftp://dav.example/ana/"])",
                          // Shown alike (a short query value has no fingerprint): one sync for two.
                          valid + R"(, calendars = ["https://feeds.example/a.ics?k=1", "https://feeds.example/a.ics?k=2"])",
                          valid + R"(, hours = {monday = ["09:00-17:00"]})",
                          valid + R"(, colour = "blue")"}) {
    EXPECT_TRUE(is_error_for(environment_error_of({host(bad)}), "booking.hosts")) << bad;
  }
  auto twice = "LEADGATE_BOOKING_HOSTS=[{" + valid + "}, {" + valid + "}]";
  EXPECT_TRUE(is_error_for(environment_error_of({twice}), "booking.hosts"));
  EXPECT_EQ(environment_error_of({host(valid + R"(, calendars = ["webcal://example.com/ana.ics"])")}), "<loaded>");
}

TEST(config, the_staleness_limit_must_exceed_the_sync_interval) {
  auto error = environment_error_of(
      {"LEADGATE_BOOKING_CALENDAR_SYNC_SECONDS=600", "LEADGATE_BOOKING_CALENDAR_MAX_STALE_SECONDS=600"});
  EXPECT_TRUE(is_error_for(error, "booking.calendar_max_stale_seconds")) << error;
  EXPECT_EQ(environment_error_of({"LEADGATE_BOOKING_CALENDAR_SYNC_SECONDS=1",
                                  "LEADGATE_BOOKING_CALENDAR_MAX_STALE_SECONDS=2"}),
            "<loaded>");
}
