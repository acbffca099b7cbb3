//===- Driver/options.cpp - xcs-jit-dump's command line -------------------===//

#include "Driver/options.h"

#include "Driver/command_line.h"
#include "xcs/error.h"

#include <algorithm>
#include <ostream>
#include <utility>

namespace xcs {
namespace {

/// xcs-jit-dump's options, applying to \p o.
std::vector<OptionSpec> option_table(Options &o) {
  auto set_level = [&o](OptimizationLevel level) {
    return [&o, level](std::string) { o.level = level; };
  };
  return {
      {"--help", "", "Print this help.", [&o](std::string) { o.help = true; }},
      {"--version", "", "Print the version of XCS.",
       [&o](std::string) { o.version = true; }},
      {"--list-examples", "", "List the built-in example pipelines.",
       [&o](std::string) { o.list_examples = true; }},
      {"--example", "NAME",
       "Discover, compile and run the built-in example NAME.",
       [&o](std::string v) { o.example = std::move(v); }},
      {"--strategy", "NAME",
       "How to discover an example's graph: trace, structural or auto "
       "(default auto).",
       [&o](std::string v) { o.strategy = parse_strategy(v); }},
      {"--load", "LIB",
       "Load the operator plugin LIB (a shared library) for FILE.xcs; "
       "repeatable.",
       [&o](std::string v) { o.plugins.push_back(std::move(v)); }, "",
       /*repeatable=*/true},
      {"--print", "STAGES",
       "Print the comma-separated STAGES, in pipeline order: "
       "trace,graph,dot,ir,ir-opt,llvm,llvm-opt,asm.",
       [&o](std::string v) { o.stages = parse_plan_stages(v, "--print"); }},
      {"--input", "JSON",
       "Run on the input record JSON (default: the example's).",
       [&o](std::string v) { o.input_json = std::move(v); }},
      {"--run", "FILE", "Run on the input record in the JSON file FILE.",
       [&o](std::string v) { o.input_file = std::move(v); }},
      {"--interpret", "",
       "Run with the reference interpreter instead of the compiled code.",
       [&o](std::string) { o.interpret = true; }},
      {"--metrics", "", "Print trace, compile and run times and the strategy.",
       [&o](std::string) { o.metrics = true; }},
      {"-o", "FILE", "Write the output to FILE ('-' for standard output).",
       [&o](std::string v) { o.output_file = std::move(v); }},
      {"-O0", "", "Compile without optimization (default).",
       set_level(OptimizationLevel::O0), "-O"},
      {"-O1", "", "The same as -O2.", set_level(OptimizationLevel::O2), "-O"},
      {"-O2", "", "Compile with LLVM's O2 pipeline and code generation.",
       set_level(OptimizationLevel::O2), "-O"},
      {"-O3", "", "The same as -O2.", set_level(OptimizationLevel::O2), "-O"},
  };
}

/// Records the one positional argument, the routing-IR file.
void set_ir_file(Options &options, std::string_view arg) {
  if (options.ir_file)
    throw InputError("unexpected argument " + in_quotes(arg) +
                     " (one FILE.xcs at most; see --help)");
  options.ir_file = std::string(arg);
}

/// The first stage of \p stages that an IR file cannot print, if any.
std::optional<PlanStage> discovery_stage(const std::vector<PlanStage> &stages) {
  auto it = std::ranges::find_if(stages, is_discovery_stage);
  return it == stages.end() ? std::nullopt : std::optional(*it);
}

/// Rejects what needs a source of a plan when there is none.
void check_needs_source(const Options &options) {
  if (options.example || options.ir_file)
    return;
  if (options.has_input())
    throw InputError("--input and --run need --example NAME or FILE.xcs");
  if (!options.stages.empty() || options.interpret || options.metrics ||
      options.strategy)
    throw InputError("--print, --interpret, --metrics and --strategy need "
                     "--example NAME or FILE.xcs");
}

/// Rejects what an IR file, which starts after discovery, cannot honour.
void check_ir_file(const Options &options) {
  if (options.strategy)
    throw InputError("--strategy applies to --example only: an IR file "
                     "starts after discovery");
  if (std::optional<PlanStage> stage = discovery_stage(options.stages))
    throw InputError("stage " + in_quotes(plan_stage_name(*stage)) +
                     " needs --example: an IR file has no trace or graph");
  if (options.interpret && !options.has_input())
    throw InputError("--interpret needs an input record (--input or --run)");
  if (options.stages.empty() && !options.has_input() && !options.metrics)
    throw InputError("nothing to do with " + in_quotes(*options.ir_file) +
                     ": give --print=STAGES, --input JSON or --run FILE");
}

/// Rejects combinations that no action can honour, before anything runs.
void check_combinations(const Options &options) {
  if (options.input_json && options.input_file)
    throw InputError("--input and --run cannot be combined");
  if (options.ir_file == "-" && options.input_file == "-")
    throw InputError("FILE.xcs and --run cannot both read standard input");
  if (options.example && options.ir_file)
    throw InputError("give --example NAME or FILE.xcs, not both");
  // Silently ignoring the plugin would run the example as if it had loaded.
  if (options.example && !options.plugins.empty())
    throw InputError("--load applies to FILE.xcs only: an example's "
                     "operators are built in");
  check_needs_source(options);
  if (options.ir_file)
    check_ir_file(options);
}

} // namespace

Options parse_arguments(const std::vector<std::string_view> &args) {
  Options options;
  parse_command_line(option_table(options), args, [&](std::string_view arg) {
    set_ir_file(options, arg);
  });
  check_combinations(options);
  return options;
}

void print_help(std::ostream &out) {
  out << "OVERVIEW: " << tool_name
      << " - print each stage of an XCS pipeline, from the trace to machine "
         "code, and run it\n\n"
      << "USAGE: " << tool_name << " [options] --example NAME\n"
      << "       " << tool_name << " [options] FILE.xcs\n\n"
      << "An option's value follows it or an '=' (--print=ir,asm). A long "
         "option takes one dash or two; '--' ends the options; FILE.xcs '-' "
         "reads standard input.\n\n"
      << "OPTIONS:\n";
  Options unused;
  print_options(out, option_table(unused));
}

void print_version(std::ostream &out) { print_tool_version(out, tool_name); }

} // namespace xcs
