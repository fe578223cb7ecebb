#pragma once
// One JSON object per line: {"time":…,"level":…,"event":…, fields…}.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace leadgate::log {

using Fields = nlohmann::ordered_json;

// Sets up the JSON line format and level ("trace" … "off").
void init(const std::string& level);

void debug(std::string_view event, Fields fields = Fields::object());
void info(std::string_view event, Fields fields = Fields::object());
void warn(std::string_view event, Fields fields = Fields::object());
void error(std::string_view event, Fields fields = Fields::object());

// The access log line of one HTTP request ("event":"request"). It is written
// for every request, so it is formatted directly instead of through Fields.
struct RequestLine {
  std::string_view id;  // the request's, as in the lines about its failure
  std::string_view method;
  std::string_view path;
  std::string_view route;
  int status;
  double ms;
  std::string_view client;
};
void request(const RequestLine& request);

bool debug_enabled();

}  // namespace leadgate::log
