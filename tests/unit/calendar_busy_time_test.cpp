#include "calendar/busy_time.hpp"

#include <gtest/gtest.h>
