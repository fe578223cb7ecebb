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

bool debug_enabled();

}  // namespace leadgate::log
