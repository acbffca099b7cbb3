//===- Driver/options.cpp - xcs-jit-dump's command line -------------------===//

#include "Driver/options.h"

#include "Driver/columns.h"
#include "xcs/error.h"
#include "xcs/version.h"

#include <llvm/ADT/StringRef.h>

#include <algorithm>
#include <map>
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
  /// Options of one group are one option (the -O levels); empty for an
  /// option that is a group of its own.
  std::string_view group = {};
  /// Whether the option may be given more than once.
  bool repeatable = false;

  /// The group the option counts in: its own flag unless it has a group.
  std::string_view group_name() const { return group.empty() ? flag : group; }
};

/// Sets the optimization level to \p level.
template <OptimizationLevel level>
void set_level(Options &options, std::string) {
  options.level = level;
}

constexpr OptionSpec option_table[] = {
    {"--help", "", "Print this help.",
     [](Options &o, std::string) { o.help = true; }},
    {"--version", "", "Print the version of XCS.",
     [](Options &o, std::string) { o.version = true; }},
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
     [](Options &o, std::string v) { o.plugins.push_back(std::move(v)); }, "",
     /*repeatable=*/true},
    {"--print", "STAGES",
     "Print the comma-separated STAGES, in pipeline order: "
     "trace,graph,dot,ir,ir-opt,llvm,llvm-opt,asm.",
     [](Options &o, std::string v) { o.stages = parse_plan_stages(v, "--print"); }},
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
    {"-o", "FILE", "Write the output to FILE ('-' for standard output).",
     [](Options &o, std::string v) { o.output_file = std::move(v); }},
    {"-O0", "", "Compile without optimization (default).",
     set_level<OptimizationLevel::O0>, "-O"},
    {"-O1", "", "The same as -O2.", set_level<OptimizationLevel::O2>, "-O"},
    {"-O2", "", "Compile with LLVM's O2 pipeline and code generation.",
     set_level<OptimizationLevel::O2>, "-O"},
    {"-O3", "", "The same as -O2.", set_level<OptimizationLevel::O2>, "-O"},
};

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

/// Whether \p flag names \p option: as spelt, or a long option with one
/// dash (-help for --help), as LLVM's tools accept.
bool names_option(std::string_view flag, const OptionSpec &option) {
  return flag == option.flag ||
         (option.flag.starts_with("--") && flag == option.flag.substr(1));
}

/// The known option nearest to the unknown \p flag, if one is near enough
/// to be a likely misspelling.
std::optional<std::string_view> nearest_option(std::string_view flag) {
  std::optional<std::string_view> nearest;
  unsigned best = std::max<unsigned>(1, flag.size() / 3) + 1;
  for (const OptionSpec &option : option_table) {
    for (std::string_view spelling :
         {option.flag, option.flag.substr(option.flag.starts_with("--"))}) {
      unsigned distance = llvm::StringRef(spelling).edit_distance(flag);
      if (distance < best) {
        best = distance;
        nearest = option.flag;
      }
    }
  }
  return nearest;
}

const OptionSpec &find_option(std::string_view flag) {
  auto it = std::ranges::find_if(option_table, [&](const OptionSpec &option) {
    return names_option(flag, option);
  });
  if (it != std::end(option_table))
    return *it;
  if (std::optional<std::string_view> nearest = nearest_option(flag))
    throw InputError("unknown option " + in_quotes(flag) + " (did you mean " +
                     in_quotes(*nearest) + "?)");
  throw InputError("unknown option " + in_quotes(flag) + " (see --help)");
}

/// Rejects a second occurrence of a non-repeatable \p option (or of another
/// option of its group). \p given maps each group seen to its option.
void check_once(std::map<std::string_view, std::string_view> &given,
                const OptionSpec &option) {
  if (option.repeatable)
    return;
  auto [it, first] = given.emplace(option.group_name(), option.flag);
  if (first)
    return;
  if (it->second == option.flag)
    throw InputError("option " + in_quotes(option.flag) +
                     " given more than once");
  throw InputError("options " + in_quotes(it->second) + " and " +
                   in_quotes(option.flag) + " cannot be combined");
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
  std::map<std::string_view, std::string_view> given;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    if (options_ended || flag == "-" || !flag.starts_with('-')) {
      set_ir_file(options, flag);
      continue;
    }
    if (flag == "--") {
      options_ended = true;
      continue;
    }
    std::optional<std::string> value;
    if (auto eq = flag.find('='); eq != flag.npos) {
      value = std::string(flag.substr(eq + 1));
      flag = flag.substr(0, eq);
    }
    const OptionSpec &option = find_option(flag);
    check_once(given, option);
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
      << "An option's value follows it or an '=' (--print=ir,asm). A long "
         "option takes one dash or two; '--' ends the options; FILE.xcs '-' "
         "reads standard input.\n\n"
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

void print_version(std::ostream &out) {
  out << tool_name << " (XCS) " << version() << '\n';
}

} // namespace xcs
