//===- log_test.cpp - Tests for the logging level -------------------------===//

#include "xcs/jit.h"
#include "xcs/log.h"
#include "xcs/ops.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

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

TEST(LogTest, AcceptsSpdlogsNamesAndCommonSpellingsInAnyCase) {
  EXPECT_EQ(parse_log_level("WARN"), LogLevel::Warn);
  EXPECT_EQ(parse_log_level("warning"), LogLevel::Warn);
  EXPECT_EQ(parse_log_level("Warning"), LogLevel::Warn);
  EXPECT_EQ(parse_log_level("err"), LogLevel::Error);
  EXPECT_EQ(parse_log_level("critical"), LogLevel::Error);
  EXPECT_EQ(parse_log_level("Debug"), LogLevel::Debug);
  EXPECT_EQ(parse_log_level("OFF"), LogLevel::Off);
}

TEST(LogTest, RejectsUnknownNames) {
  EXPECT_EQ(parse_log_level("verbose"), std::nullopt);
  EXPECT_EQ(parse_log_level("warnings"), std::nullopt);
  EXPECT_EQ(parse_log_level(""), std::nullopt);
}

TEST(LogTest, AHandlerReceivesTheMessagesAtOrAboveTheLevel) {
  LogLevel original = log_level();
  std::vector<std::pair<LogLevel, std::string>> seen;
  set_log_handler([&](LogLevel level, std::string_view text) {
    seen.emplace_back(level, std::string(text));
  });
  set_log_level(LogLevel::Info);
  // A cache miss is logged at info, naming the operator.
  OperatorPtr op = jit(ops::affine(2, 1));
  (*op)(Record{{"x", 1}});
  set_log_handler(nullptr);
  set_log_level(original);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().first, LogLevel::Info);
  EXPECT_NE(seen.front().second.find("cache miss"), std::string::npos)
      << seen.front().second;
  EXPECT_EQ(seen.front().second.find("xcs ["), std::string::npos)
      << "the handler gets the text without the prefix";
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
