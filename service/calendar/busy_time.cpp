#include "calendar/busy_time.hpp"

namespace leadgate::calendar {}  // namespace leadgate::calendar
