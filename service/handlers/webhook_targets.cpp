#include "handlers/webhook_targets.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace leadgate::handlers {

std::string webhook_targets(const config::Config& config, std::string_view event) {
  nlohmann::json urls = nlohmann::json::array();
  for (const auto& target : config.webhooks.targets) {
    if (std::find(target.events.begin(), target.events.end(), event) != target.events.end()) urls.push_back(target.url);
  }
  return urls.dump();
}

}  // namespace leadgate::handlers
