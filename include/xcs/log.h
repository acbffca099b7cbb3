//===- xcs/log.h - Logging level --------------------------------*- C++ -*-===//
///
/// \file
/// XCS logs to standard error through its own logger; it never touches the
/// embedding application's global logging state. The level comes from the
/// XCS_LOG environment variable (spdlog's level names, in any case: trace,
/// debug, info, warn or warning, error or err, critical, off; default warn)
/// until set_log_level() is called. An application that logs elsewhere
/// takes XCS's messages with set_log_handler(), for instance into its own
/// spdlog logger:
///
///   xcs::set_log_handler([app](xcs::LogLevel level, std::string_view text) {
///     app->log(level == xcs::LogLevel::Error ? spdlog::level::err
///                                            : spdlog::level::info,
///              "xcs: {}", text);
///   });
///
//===----------------------------------------------------------------------===//
#pragma once

#include <functional>
#include <optional>
#include <string_view>

namespace xcs {

enum class LogLevel { Trace, Debug, Info, Warn, Error, Off };

void set_log_level(LogLevel level);
LogLevel log_level();
/// Parses a level name as XCS_LOG accepts it; nullopt if unknown.
std::optional<LogLevel> parse_log_level(std::string_view name);

/// Receives each message XCS logs at or above the current level: its level
/// and its text, without the "xcs [level]" prefix standard error gets.
using LogHandler = std::function<void(LogLevel level, std::string_view text)>;
/// Sends XCS's log to \p handler instead of standard error; an empty
/// handler sends it back to standard error. The handler is called from
/// whichever thread logs, one call at a time, and must not log through XCS.
void set_log_handler(LogHandler handler);

} // namespace xcs
