//===- Driver/options.cpp - xcs-jit-dump's command line -------------------===//

#include "Driver/options.h"

#include "Driver/columns.h"
#include "xcs/error.h"

#include <algorithm>
#include <ostream>
#include <utility>

namespace xcs {
namespace {

/// One command-line option. An option with a value_name takes a value, as
/// the next argument or after '='.
struct OptionSpec {
  std::string_view flag;
  std::string_view value_name;
  std::string_view help;
  void (*apply)(Options &options, std::string value);
};

constexpr OptionSpec option_table[] = {
    {"--help", "", "Print this help.",
     [](Options &o, std::string) { o.help = true; }},
    {"--list-examples", "", "List the built-in example pipelines.",
     [](Options &o, std::string) { o.list_examples = true; }},
    {"--example", "NAME", "Discover, compile and run the built-in example NAME.",
     [](Options &o, std::string v) { o.example = std::move(v); }},
    {"--strategy", "NAME",
     "How to discover an example's graph: trace, structural or auto "
     "(default auto).",
     [](Options &o, std::string v) { o.strategy = parse_strategy(v); }},
    {"--load", "LIB",
     "Load the operator plugin LIB (a shared library) for FILE.xcs; "
     "repeatable.",
     [](Options &o, std::string v) { o.plugins.push_back(std::move(v)); }},
    {"--print", "STAGES",
     "Print the comma-separated STAGES, in pipeline order: "
     "trace,graph,dot,ir,ir-opt,llvm,llvm-opt,asm.",
     [](Options &o, std::string v) { o.stages = parse_stages(v); }},
    {"--input", "JSON",
     "Run on the input record JSON (default: the example's).",
     [](Options &o, std::string v) { o.input_json = std::move(v); }},
    {"--run", "FILE", "Run on the input record in the JSON file FILE.",
     [](Options &o, std::string v) { o.input_file = std::move(v); }},
    {"--interpret", "",
     "Run with the reference interpreter instead of the compiled code.",
     [](Options &o, std::string) { o.interpret = true; }},
    {"--metrics", "", "Print trace, compile and run times and the strategy.",
     [](Options &o, std::string) { o.metrics = true; }},
    {"-O0", "", "Compile without optimization (default).",
     [](Options &o, std::string) { o.level = OptimizationLevel::O0; }},
    {"-O2", "", "Compile with LLVM's O2 pipeline and code generation.",
     [](Options &o, std::string) { o.level = OptimizationLevel::O2; }},
};

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

const OptionSpec &find_option(std::string_view flag) {
  auto it = std::ranges::find(option_table, flag, &OptionSpec::flag);
  if (it == std::end(option_table))
    throw InputError("unknown option " + in_quotes(flag) + " (see --help)");
  return *it;
}

/// Records the one positional argument, the routing-IR file.
void set_ir_file(Options &options, std::string_view arg) {
  if (options.ir_file)
    throw InputError("unexpected argument " + in_quotes(arg) +
                     " (one FILE.xcs at most; see --help)");
  options.ir_file = std::string(arg);
}

/// The first stage of \p stages that an IR file cannot print, if any.
std::optional<Stage> discovery_stage(const std::vector<Stage> &stages) {
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
  if (std::optional<Stage> stage = discovery_stage(options.stages))
    throw InputError("stage " + in_quotes(stage_name(*stage)) +
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
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    if (!flag.starts_with('-')) {
      set_ir_file(options, flag);
      continue;
    }
    std::optional<std::string> value;
    if (auto eq = flag.find('='); flag.starts_with("--") && eq != flag.npos) {
      value = std::string(flag.substr(eq + 1));
      flag = flag.substr(0, eq);
    }
    const OptionSpec &option = find_option(flag);
    if (option.value_name.empty() && value)
      throw InputError("option " + in_quotes(flag) + " takes no value");
    if (!option.value_name.empty() && !value) {
      if (i + 1 == args.size())
        throw InputError("option " + in_quotes(flag) + " needs a value " +
                         std::string(option.value_name));
      value = std::string(args[++i]);
    }
    option.apply(options, value.value_or(""));
  }
  check_combinations(options);
  return options;
}

void print_help(std::ostream &out) {
  out << "OVERVIEW: " << tool_name
      << " - print each stage of an XCS pipeline, from the trace to machine "
         "code, and run it\n\n"
      << "USAGE: " << tool_name << " [options] --example NAME\n"
      << "       " << tool_name << " [options] FILE.xcs\n\n"
      << "An option's value follows it or an '=' (--print=ir,asm).\n\n"
      << "OPTIONS:\n";
  std::vector<std::pair<std::string, std::string>> rows;
  for (const OptionSpec &option : option_table) {
    std::string usage(option.flag);
    if (!option.value_name.empty())
      usage += " " + std::string(option.value_name);
    rows.emplace_back(std::move(usage), std::string(option.help));
  }
  print_columns(out, rows);
}

} // namespace xcs
