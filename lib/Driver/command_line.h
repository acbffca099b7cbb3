//===- Driver/command_line.h - The tools' command lines ---------*- C++ -*-===//
///
/// \file
/// The command-line conventions every XCS tool follows, as LLVM's tools do:
/// a long option takes one dash or two, a value follows its option or an
/// '=', "--" ends the options, an option is given once unless it is
/// repeatable, and an unknown option names the nearest known one. Options
/// are parsed by hand from the tool's table rather than with llvm::cl,
/// whose options are global state: a driver may run many times in one
/// process (tests do), and an application embedding libxcs owns its own
/// command line.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace xcs {

/// One command-line option. An option with a value_name takes a value.
struct OptionSpec {
  std::string_view flag;
  std::string_view value_name;
  std::string_view help;
  /// Receives the value ("" for an option without one).
  std::function<void(std::string)> apply;
  /// Options of one group are one option (the -O levels); empty for an
  /// option that is a group of its own.
  std::string_view group = {};
  /// Whether the option may be given more than once.
  bool repeatable = false;

  /// The group the option counts in: its own flag unless it has a group.
  std::string_view group_name() const { return group.empty() ? flag : group; }
};

/// Applies \p args (without the program name) to \p options, in order;
/// every argument that is not an option goes to \p positional ("-" is
/// one: the standard input). InputError, in words meant for the command
/// line, for unknown options (suggesting the nearest known one), options
/// given twice, and missing or unexpected values.
void parse_command_line(const std::vector<OptionSpec> &options,
                        const std::vector<std::string_view> &args,
                        const std::function<void(std::string_view)> &positional);

/// Writes every option of \p options with its value name and help, in two
/// columns.
void print_options(std::ostream &out, const std::vector<OptionSpec> &options);

/// Writes "TOOL (XCS) VERSION", the version of the library.
void print_tool_version(std::ostream &out, std::string_view tool);

/// \p text in single quotes, as diagnostics quote what the user typed.
std::string in_quotes(std::string_view text);

/// Runs a tool's \p body (its whole main, from the command line parsed
/// on) and returns what it returns; for anything it throws, writes one
/// diagnostic line, "TOOL: error: MESSAGE", to \p err (with the line of the
/// file and a caret below it for an error about a place in a file) and
/// returns 1. The diagnostic is one line even when the message spans lines,
/// so that scripts and tests can match it. Reads XCS_LOG first: a misspelt
/// level is reported even by a run that logs nothing.
int run_tool_main(std::string_view tool, std::ostream &err,
                  const std::function<int()> &body);

} // namespace xcs
