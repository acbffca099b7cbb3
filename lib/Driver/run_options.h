//===- Driver/run_options.h - xcs-run's command line ------------*- C++ -*-===//
///
/// \file
/// Parsed from one table with the conventions every XCS tool shares
/// (Driver/command_line.h).
///
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xcs {

/// How xcs-run names itself in its help and diagnostics.
inline constexpr std::string_view run_tool_name = "xcs-run";

/// What xcs-run's command line asked for.
struct XcsRunOptions {
  bool help = false;
  bool version = false;
  /// The pipeline: a routing-IR file or a built-in example.
  std::optional<std::string> pipeline_file;
  std::optional<std::string> example;
  std::optional<std::string> data_file;
  std::optional<std::string> out_file;
  std::size_t max_in_flight = 64;
  /// Under mpirun, the items rank 0 hands out at a time; 0: the default.
  std::size_t chunk_size = 0;
  /// Under mpirun, whether rank 0 runs items too.
  bool local_items = true;
  bool resume = false;
  std::optional<std::string> timeline_file;
  std::vector<std::string> plugins;
  bool quiet = false;
};

/// Parses \p args (without the program name). InputError, in words meant
/// for the command line, for what Driver/command_line.h rejects, a bad
/// --max-in-flight, and combinations that cannot run (no pipeline, both a
/// file and an example, no --data or --out).
XcsRunOptions parse_run_arguments(const std::vector<std::string_view> &args);

/// Writes the usage text: every option with its help.
void print_run_help(std::ostream &out);

} // namespace xcs
