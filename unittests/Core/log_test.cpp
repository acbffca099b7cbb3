//===- log_test.cpp - Tests for the logging level -------------------------===//

#include "xcs/log.h"

#include <gtest/gtest.h>

#include <utility>

namespace xcs {
namespace {

const std::pair<const char *, LogLevel> level_names[] = {
    {"trace", LogLevel::Trace}, {"debug", LogLevel::Debug},
    {"info", LogLevel::Info},   {"warn", LogLevel::Warn},
    {"error", LogLevel::Error}, {"off", LogLevel::Off}};

TEST(LogTest, ParsesEveryLevelName) {
  for (const auto &[name, level] : level_names)
    EXPECT_EQ(parse_log_level(name), level) << name;
}

TEST(LogTest, RejectsUnknownNames) {
  EXPECT_EQ(parse_log_level("verbose"), std::nullopt);
  EXPECT_EQ(parse_log_level("WARN"), std::nullopt);
  EXPECT_EQ(parse_log_level(""), std::nullopt);
}

TEST(LogTest, SetLevelRoundTrips) {
  LogLevel original = log_level();
  for (const auto &[name, level] : level_names) {
    set_log_level(level);
    EXPECT_EQ(log_level(), level) << name;
  }
  set_log_level(original);
}

} // namespace
} // namespace xcs
