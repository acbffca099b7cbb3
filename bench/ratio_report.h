//===- ratio_report.h - Ratios between benchmarks of one run ----*- C++ -*-===//
///
/// \file
/// The benchmark binaries that compare ways of doing the same work run
/// every way side by side in one process and then print the ratios between
/// them (and absolute limits). run_with_ratios() runs the selected benchmarks
/// with the display reporter that --benchmark_format chooses, keeps each
/// benchmark's time per iteration (real time for benchmarks that use it, else
/// CPU time; the median over --benchmark_repetitions when there are several),
/// and afterwards writes the ratios and limits to stderr, so that stdout stays
/// valid JSON under --benchmark_format=json.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace xcs::bench {

/// numerator / denominator, both benchmark names as reported without the
/// "/real_time" and aggregate suffixes.
struct Ratio {
  std::string numerator;
  std::string denominator;
  /// The ratio must not exceed this; nullopt when there is no target.
  std::optional<double> at_most;
};

/// A benchmark whose time must not exceed an absolute bound.
struct Limit {
  std::string benchmark;
  double at_most_ns = 0;
};

/// What to print after the run.
struct Summary {
  std::vector<Ratio> ratios;
  std::vector<Limit> limits;
};

/// Registers benchmarks and returns the summary to print about them.
using Registration = std::function<Summary()>;

/// Initializes Google Benchmark from the command line, then calls
/// \p register_all (so that --help exits before any setup), runs the
/// selected benchmarks and prints the limits and ratios whose benchmarks
/// ran. Returns the process exit status: 1 on an unrecognized argument or
/// when no benchmark ran, else 0 (a missed target is reported, not an
/// error).
int run_with_ratios(int argc, char **argv, const Registration &register_all);

} // namespace xcs::bench
