#include "log/log.hpp"

#include <date/date.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <chrono>

namespace leadgate::log {

namespace {

std::string utc_now() {
  auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  return date::format("%FT%TZ", now);
}

void write(spdlog::level::level_enum level, std::string_view event, Fields fields) {
  if (!spdlog::should_log(level)) return;
  Fields line = Fields::object();
  line["time"] = utc_now();
  auto level_name = spdlog::level::to_string_view(level);
  line["level"] = std::string(level_name.data(), level_name.size());
  line["event"] = event;
  for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  // Replacing invalid UTF-8 keeps a log line parseable whatever it quotes.
  spdlog::log(level, "{}", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
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

void debug(std::string_view event, Fields fields) { write(spdlog::level::debug, event, std::move(fields)); }
void info(std::string_view event, Fields fields) { write(spdlog::level::info, event, std::move(fields)); }
void warn(std::string_view event, Fields fields) { write(spdlog::level::warn, event, std::move(fields)); }
void error(std::string_view event, Fields fields) { write(spdlog::level::err, event, std::move(fields)); }

bool debug_enabled() { return spdlog::should_log(spdlog::level::debug); }

}  // namespace leadgate::log
