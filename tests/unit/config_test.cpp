#include <gtest/gtest.h>
#include "config/config.hpp"
TEST(config, defaults_load_without_a_file) {
  const char* env[] = {nullptr};
  auto config = leadgate::config::load("/nonexistent.toml", false, env);
  EXPECT_EQ(config.http.listen_port, 8080);
}
