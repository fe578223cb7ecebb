#include "log/log.hpp"

#include <date/date.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <iterator>

namespace leadgate::log {

namespace {

// "2026-11-29T18:24:05.123456Z", written straight into the line: this runs
// for every request, and date::format goes through an ostringstream.
void append_utc_now(std::string& line) {
  auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto day = date::floor<date::days>(now);
  date::year_month_day date{day};
  date::hh_mm_ss time{now - day};
  fmt::format_to(std::back_inserter(line), "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", int(date.year()),
                 unsigned(date.month()), unsigned(date.day()), time.hours().count(), time.minutes().count(),
                 time.seconds().count(), time.subseconds().count());
}

// Replacing invalid UTF-8 keeps a log line parseable whatever it quotes.
void append_json(std::string& line, const Fields& value) {
  line += value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// {"time":…,"level":…,"event":… — the caller adds its fields and the brace.
std::string begin_line(spdlog::level::level_enum level, std::string_view event) {
  std::string line;
  line.reserve(256);
  line += R"({"time":")";
  append_utc_now(line);
  line += R"(","level":")";
  auto level_name = spdlog::level::to_string_view(level);
  line.append(level_name.data(), level_name.size());
  line += R"(","event":)";
  append_json(line, Fields(event));
  return line;
}

// The line is the fields object with time, level and event in front: one
// serialisation of what the caller built, no copy into a second object.
void write(spdlog::level::level_enum level, std::string_view event, const Fields& fields) {
  if (!spdlog::should_log(level)) return;
  auto line = begin_line(level, event);
  if (fields.is_object() && !fields.empty()) {
    auto rest = fields.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    line += ',';
    line.append(rest, 1);  // without its opening brace: its closing one ends the line
  } else {
    line += '}';
  }
  spdlog::default_logger_raw()->log(level, spdlog::string_view_t(line));
}

}  // namespace

void init(const std::string& level) {
  // stdout, unbuffered per line, so container runtimes see each line at once.
  auto logger = spdlog::stdout_logger_mt("leadgate");
  logger->set_pattern("%v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::flush_on(spdlog::level::trace);
}

void debug(std::string_view event, Fields fields) { write(spdlog::level::debug, event, fields); }
void info(std::string_view event, Fields fields) { write(spdlog::level::info, event, fields); }
void warn(std::string_view event, Fields fields) { write(spdlog::level::warn, event, fields); }
void error(std::string_view event, Fields fields) { write(spdlog::level::err, event, fields); }

void request(const RequestLine& request) {
  if (!spdlog::should_log(spdlog::level::info)) return;
  auto line = begin_line(spdlog::level::info, "request");
  line += R"(,"request_id":)";
  append_json(line, Fields(request.id));
  line += R"(,"method":)";
  append_json(line, Fields(request.method));
  line += R"(,"path":)";
  append_json(line, Fields(request.path));
  line += R"(,"route":)";
  append_json(line, Fields(request.route));
  fmt::format_to(std::back_inserter(line), R"(,"status":{},"ms":{:.3f},"client":)", request.status, request.ms);
  append_json(line, Fields(request.client));
  line += '}';
  spdlog::default_logger_raw()->log(spdlog::level::info, spdlog::string_view_t(line));
}

bool debug_enabled() { return spdlog::should_log(spdlog::level::debug); }

}  // namespace leadgate::log
