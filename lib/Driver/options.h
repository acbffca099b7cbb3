//===- Driver/options.h - xcs-jit-dump's command line -----------*- C++ -*-===//
///
/// \file
/// Parsed from one table with the conventions every XCS tool shares
/// (Driver/command_line.h).
///
//===----------------------------------------------------------------------===//
#pragma once

#include "JIT/plan_stages.h"
#include "xcs/jit.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xcs {

/// How the tool names itself in its help and diagnostics.
inline constexpr std::string_view tool_name = "xcs-jit-dump";

/// What the command line asked for.
struct Options {
  bool help = false;
  bool version = false;
  bool list_examples = false;
  /// The plan's source: a built-in example or a routing-IR file ("-" reads
  /// standard input).
  std::optional<std::string> example;
  std::optional<std::string> ir_file;
  /// The input record, inline or in a file.
  std::optional<std::string> input_json;
  std::optional<std::string> input_file;
  std::vector<PlanStage> stages;
  std::optional<Strategy> strategy;
  OptimizationLevel level = OptimizationLevel::O0;
  bool interpret = false;
  bool metrics = false;
  /// Operator plugins to load, in order.
  std::vector<std::string> plugins;
  /// Where the output goes: a file, or standard output when absent or "-".
  std::optional<std::string> output_file;

  bool has_input() const { return input_json || input_file; }
};

/// Parses \p args (without the program name) as LLVM's tools do: a long
/// option takes one dash or two, "--" ends the options and "-" is the
/// standard input. InputError, in words meant for the command line, for
/// unknown options (suggesting the nearest known one), options given twice,
/// missing or unexpected values, and combinations that no action can
/// honour.
Options parse_arguments(const std::vector<std::string_view> &args);

/// Writes the usage text: every option with its help.
void print_help(std::ostream &out);

/// Writes "xcs-jit-dump (XCS) VERSION", the version of the library.
void print_version(std::ostream &out);

} // namespace xcs
