#include "calendar/fetch.hpp"

namespace leadgate::calendar {}  // namespace leadgate::calendar
