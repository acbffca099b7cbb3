//===- Driver/jit_dump.cpp - The xcs-jit-dump driver ----------------------===//
///
/// \file
/// The tool's actions: list the examples, or build the plan of an example
/// or of a routing-IR file, print the stages asked for, run the plan and
/// print its result and metrics. Every failure becomes one diagnostic line.
///
//===----------------------------------------------------------------------===//

#include "Driver/jit_dump.h"

#include "Driver/builtin_operators.h"
#include "Driver/columns.h"
#include "Driver/command_line.h"
#include "Driver/dump_plan.h"
#include "Driver/options.h"
#include "Driver/plugin_loader.h"
#include "Driver/sections.h"
#include "Driver/source_diagnostic.h"
#include "Driver/text_file.h"
#include "xcs/error.h"
#include "xcs/json.h"
#include "xcs/log.h"
#include "xcs/ops.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xcs {
namespace {

void list_examples(std::ostream &out) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const std::string &name : ops::example_names())
    rows.emplace_back(name, ops::example(name).description);
  print_columns(out, rows);
}

/// The input record of --input or --run, if either was given.
std::optional<Record> read_input(const Options &options) {
  if (options.input_json)
    return parse_json_record(*options.input_json, "<--input>");
  if (options.input_file)
    return parse_json_record(read_text_file(*options.input_file),
                             file_display_name(*options.input_file));
  return std::nullopt;
}

/// Prints the stages asked for, then runs \p dump on \p input (when there
/// is one) and prints the result, then the metrics.
void print_and_run(const Options &options, const DumpPlan &dump,
                   const std::optional<Record> &input, std::ostream &out) {
  SectionWriter sections(out, options.stages.size() + (input ? 1 : 0) +
                                  (options.metrics ? 1 : 0));
  for (PlanStage stage : options.stages)
    sections.write(plan_stage_name(stage),
                   stage_text(stage, dump, engine_level(options.level)));
  std::optional<Execution> execution;
  if (input) {
    execution = run_plan(dump, *input, options.interpret);
    sections.write("result", to_json(execution->output, /*pretty=*/true));
  }
  if (options.metrics)
    sections.write("metrics",
                   metrics_text(dump, execution ? std::optional(execution->time)
                                                : std::nullopt));
}

/// An example runs on --input / --run, or on its own input when no stage
/// is asked for: output goes only where asked.
void dump_example(const Options &options, std::ostream &out) {
  ops::Example example = ops::example(*options.example);
  std::optional<Record> input = read_input(options);
  if (!input && options.stages.empty())
    input = std::move(example.input);
  // Discovery runs the example on an input even when the plan does not:
  // the trace strategy calls the pipeline.
  const Record &discovery_input = input ? *input : example.input;
  DumpPlan dump = plan_example(example, discovery_input,
                               options.strategy.value_or(Strategy::Auto),
                               engine_level(options.level),
                               !options.interpret);
  print_and_run(options, dump, input, out);
}

/// An IR file runs only on an input given on the command line.
void dump_ir_file(const Options &options, std::ostream &out) {
  OperatorRegistry registry;
  add_builtin_operators(registry);
  for (const std::string &plugin : options.plugins)
    load_plugin(plugin, registry);
  std::optional<Record> input = read_input(options);
  DumpPlan dump =
      plan_ir_file(*options.ir_file, registry, engine_level(options.level),
                   input && !options.interpret);
  print_and_run(options, dump, input, out);
}

void run(const Options &options, std::ostream &out) {
  if (options.help) {
    print_help(out);
    return;
  }
  if (options.version) {
    print_version(out);
    return;
  }
  if (!options.list_examples && !options.example && !options.ir_file)
    throw InputError("nothing to do: give --example NAME, FILE.xcs or "
                     "--list-examples (see --help)");
  if (options.list_examples)
    list_examples(out);
  if (options.example)
    dump_example(options, out);
  if (options.ir_file)
    dump_ir_file(options, out);
}

/// Runs \p options with their output on \p out, then reports a failed
/// write (a full disk, a closed pipe) as an error naming \p out_name.
void run_to(const Options &options, std::ostream &out,
            std::string_view out_name) {
  run(options, out);
  if (!out.flush())
    throw InputError("cannot write to " + std::string(out_name));
}

/// Runs \p options with their output on -o FILE or, without one, \p out.
void run_with_output(const Options &options, std::ostream &out) {
  if (!options.output_file || *options.output_file == "-") {
    run_to(options, out, "standard output");
    return;
  }
  const std::string &path = *options.output_file;
  std::ofstream file(path, std::ios::binary);
  if (!file)
    throw InputError("cannot open '" + path +
                     "' for writing: " + std::strerror(errno));
  run_to(options, file, "'" + path + "'");
}

} // namespace

int run_jit_dump(int argc, char **argv, std::ostream &out, std::ostream &err) {
  return run_tool_main(tool_name, err, [&] {
    std::vector<std::string_view> args(argv + std::min(argc, 1), argv + argc);
    run_with_output(parse_arguments(args), out);
    return 0;
  });
}

} // namespace xcs
