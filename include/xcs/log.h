//===- xcs/log.h - Logging level --------------------------------*- C++ -*-===//
///
/// \file
/// XCS logs to standard error through its own logger; it never touches the
/// embedding application's global logging state. The level comes from the
/// XCS_LOG environment variable (trace, debug, info, warn, error, off;
/// default warn) until set_log_level() is called.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <optional>
#include <string_view>

namespace xcs {

enum class LogLevel { Trace, Debug, Info, Warn, Error, Off };

void set_log_level(LogLevel level);
LogLevel log_level();
/// Parses a level name as XCS_LOG accepts it; nullopt if unknown.
std::optional<LogLevel> parse_log_level(std::string_view name);

} // namespace xcs
