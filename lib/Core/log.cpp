//===- log.cpp - Logging level and the XCS logger -------------------------===//

#include "Core/log.h"

#include "xcs/log.h"

#include <spdlog/sinks/stdout_sinks.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace xcs {
namespace {

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
  case LogLevel::Trace:
    return spdlog::level::trace;
  case LogLevel::Debug:
    return spdlog::level::debug;
  case LogLevel::Info:
    return spdlog::level::info;
  case LogLevel::Warn:
    return spdlog::level::warn;
  case LogLevel::Error:
    return spdlog::level::err;
  case LogLevel::Off:
    return spdlog::level::off;
  }
  return spdlog::level::warn;
}

LogLevel level_from_environment() {
  const char *text = std::getenv("XCS_LOG");
  if (!text)
    return LogLevel::Warn;
  if (auto level = parse_log_level(text))
    return *level;
  // The logger does not exist yet, so say it directly, once.
  std::fprintf(stderr, "xcs: ignoring XCS_LOG='%s' (expected trace, debug, "
                       "info, warn, error or off)\n",
               text);
  return LogLevel::Warn;
}

std::shared_ptr<spdlog::logger> make_logger() {
  auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  auto logger = std::make_shared<spdlog::logger>("xcs", std::move(sink));
  logger->set_pattern("xcs [%l] %v");
  logger->set_level(to_spdlog(level_from_environment()));
  return logger;
}

} // namespace

spdlog::logger &log::logger() {
  static std::shared_ptr<spdlog::logger> instance = make_logger();
  return *instance;
}

void set_log_level(LogLevel level) { log::logger().set_level(to_spdlog(level)); }

LogLevel log_level() {
  switch (log::logger().level()) {
  case spdlog::level::trace:
    return LogLevel::Trace;
  case spdlog::level::debug:
    return LogLevel::Debug;
  case spdlog::level::info:
    return LogLevel::Info;
  case spdlog::level::warn:
    return LogLevel::Warn;
  case spdlog::level::err:
  case spdlog::level::critical:
    return LogLevel::Error;
  default:
    return LogLevel::Off;
  }
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
  static constexpr std::pair<std::string_view, LogLevel> names[] = {
      {"trace", LogLevel::Trace}, {"debug", LogLevel::Debug},
      {"info", LogLevel::Info},   {"warn", LogLevel::Warn},
      {"error", LogLevel::Error}, {"off", LogLevel::Off}};
  for (const auto &[text, level] : names)
    if (text == name)
      return level;
  return std::nullopt;
}

} // namespace xcs
