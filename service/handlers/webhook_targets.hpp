#pragma once
// Which configured webhook targets want an event (webhooks.targets).

#include <string>
#include <string_view>

#include "config/config.hpp"

namespace leadgate::handlers {

// A JSON array of the URLs of the targets subscribed to `event`; "[]" when
// none (the store then writes nothing).
std::string webhook_targets(const config::Config& config, std::string_view event);

}  // namespace leadgate::handlers
