//===- log.cpp - Logging level and the XCS logger -------------------------===//

#include "Core/log.h"

#include "xcs/log.h"

#include <spdlog/sinks/base_sink.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>
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

LogLevel from_spdlog(spdlog::level::level_enum level) {
  switch (level) {
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
  case spdlog::level::off:
  case spdlog::level::n_levels:
    return LogLevel::Off;
  }
  return LogLevel::Off;
}

/// Writes each message to standard error, or hands it to the application's
/// handler (set_log_handler).
class Sink final : public spdlog::sinks::base_sink<std::mutex> {
public:
  void set_handler(LogHandler handler) {
    std::lock_guard lock(mutex_);
    handler_ = std::move(handler);
  }

protected:
  void sink_it_(const spdlog::details::log_msg &message) override {
    if (handler_) {
      handler_(from_spdlog(message.level),
               std::string_view(message.payload.data(),
                                message.payload.size()));
      return;
    }
    spdlog::memory_buf_t text;
    formatter_->format(message, text);
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }

private:
  LogHandler handler_;
};

const std::shared_ptr<Sink> &sink() {
  static const auto instance = std::make_shared<Sink>();
  return instance;
}

LogLevel level_from_environment() {
  const char *text = std::getenv("XCS_LOG");
  if (!text)
    return LogLevel::Warn;
  if (auto level = parse_log_level(text))
    return *level;
  // The logger does not exist yet, so say it directly, once.
  std::fprintf(stderr, "xcs: ignoring XCS_LOG='%s' (expected trace, debug, "
                       "info, warn, error, critical or off)\n",
               text);
  return LogLevel::Warn;
}

std::shared_ptr<spdlog::logger> make_logger() {
  auto logger = std::make_shared<spdlog::logger>("xcs", sink());
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

LogLevel log_level() { return from_spdlog(log::logger().level()); }

std::optional<LogLevel> parse_log_level(std::string_view name) {
  static constexpr std::pair<std::string_view, LogLevel> names[] = {
      {"trace", LogLevel::Trace},   {"debug", LogLevel::Debug},
      {"info", LogLevel::Info},     {"warn", LogLevel::Warn},
      {"warning", LogLevel::Warn},  {"error", LogLevel::Error},
      {"err", LogLevel::Error},     {"critical", LogLevel::Error},
      {"off", LogLevel::Off}};
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (const auto &[text, level] : names)
    if (text == lower)
      return level;
  return std::nullopt;
}

void set_log_handler(LogHandler handler) {
  sink()->set_handler(std::move(handler));
}

} // namespace xcs
