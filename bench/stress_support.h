//===- stress_support.h - What the stress binaries share --------*- C++ -*-===//
///
/// \file
/// The stress binaries are not benchmarks: they run a long scenario, print
/// progress and fail on a wrong result or growing memory. These are the
/// pieces they share: reading `--name=value` arguments, the resident set
/// size and elapsed time.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace xcs::bench {

/// The value of \p argument if it is `--name=value`.
std::optional<std::string_view> flag(std::string_view argument,
                                     std::string_view name);

/// The resident set size of this process in MB, from /proc/self/statm.
double resident_mb();

/// Elapsed seconds since \p start.
double seconds_since(std::chrono::steady_clock::time_point start);

} // namespace xcs::bench
