//===- Driver/run_options.cpp - xcs-run's command line --------------------===//

#include "Driver/run_options.h"

#include "Driver/command_line.h"
#include "xcs/error.h"

#include <charconv>
#include <ostream>
#include <utility>

namespace xcs {
namespace {

/// The value of a count option (--max-in-flight, --chunk-size): a whole
/// number from 1 to 1,000,000.
std::size_t parse_count(std::string_view option, const std::string &text) {
  std::size_t count = 0;
  auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc() || end != text.data() + text.size() || count == 0 ||
      count > 1'000'000)
    throw InputError("option '" + std::string(option) +
                     "' needs a whole number from 1 to 1000000, got " +
                     in_quotes(text));
  return count;
}

/// xcs-run's options, applying to \p o.
std::vector<OptionSpec> option_table(XcsRunOptions &o) {
  return {
      {"--help", "", "Print this help.", [&o](std::string) { o.help = true; }},
      {"--version", "", "Print the version of XCS.",
       [&o](std::string) { o.version = true; }},
      {"--example", "NAME",
       "Run the built-in example NAME (see xcs-jit-dump --list-examples) "
       "instead of PIPELINE.xcs.",
       [&o](std::string v) { o.example = std::move(v); }},
      {"--data", "FILE",
       "The items: one JSON object (an input record) per line.",
       [&o](std::string v) { o.data_file = std::move(v); }},
      {"--out", "FILE",
       "Write one JSON line per item as it ends: {\"index\": N, \"output\": "
       "{...}} or {\"index\": N, \"error\": {\"type\", \"message\"}}.",
       [&o](std::string v) { o.out_file = std::move(v); }},
      {"--max-in-flight", "N", "Items started and not finished, at most "
                               "(default 64).",
       [&o](std::string v) {
         o.max_in_flight = parse_count("--max-in-flight", v);
       }},
      {"--chunk-size", "N",
       "Under mpirun: items rank 0 hands a rank at a time (default: "
       "max-in-flight / 4, at least 1; docs/distributed.md).",
       [&o](std::string v) { o.chunk_size = parse_count("--chunk-size", v); }},
      {"--no-local-items", "",
       "Under mpirun: rank 0 hands out items and writes results but runs "
       "none itself.",
       [&o](std::string) { o.local_items = false; }},
      {"--resume", "",
       "Skip the items whose index the --out file holds, after repairing a "
       "torn last line; append the others.",
       [&o](std::string) { o.resume = true; }},
      {"--timeline", "FILE",
       "Write a Chrome trace-event timeline of the run (Perfetto, "
       "chrome://tracing).",
       [&o](std::string v) { o.timeline_file = std::move(v); }},
      {"--load", "LIB",
       "Load the operator plugin LIB (a shared library) for PIPELINE.xcs; "
       "repeatable.",
       [&o](std::string v) { o.plugins.push_back(std::move(v)); }, "",
       /*repeatable=*/true},
      {"--quiet", "", "Print no progress.",
       [&o](std::string) { o.quiet = true; }},
  };
}

void set_pipeline_file(XcsRunOptions &options, std::string_view arg) {
  if (options.pipeline_file)
    throw InputError("unexpected argument " + in_quotes(arg) +
                     " (one PIPELINE.xcs at most; see --help)");
  options.pipeline_file = std::string(arg);
}

/// Rejects combinations that cannot run, before anything runs.
void check_combinations(const XcsRunOptions &options) {
  if (options.help || options.version)
    return;
  if (options.example && options.pipeline_file)
    throw InputError("give --example NAME or PIPELINE.xcs, not both");
  if (!options.example && !options.pipeline_file)
    throw InputError("nothing to run: give PIPELINE.xcs or --example NAME "
                     "(see --help)");
  if (options.example && !options.plugins.empty())
    throw InputError("--load applies to PIPELINE.xcs only: an example's "
                     "operators are built in");
  if (!options.data_file)
    throw InputError("no items: give --data FILE (one JSON object a line)");
  if (!options.out_file)
    throw InputError("no results file: give --out FILE");
  if (*options.out_file == "-" || *options.data_file == "-")
    throw InputError("--data and --out need files: resuming reads the "
                     "results back");
}

} // namespace

XcsRunOptions parse_run_arguments(const std::vector<std::string_view> &args) {
  XcsRunOptions options;
  parse_command_line(option_table(options), args, [&](std::string_view arg) {
    set_pipeline_file(options, arg);
  });
  check_combinations(options);
  return options;
}

void print_run_help(std::ostream &out) {
  out << "OVERVIEW: " << run_tool_name
      << " - run an XCS pipeline over every item of a JSONL file, with "
         "progress, resume and a timeline\n\n"
      << "USAGE: " << run_tool_name
      << " [options] PIPELINE.xcs --data FILE --out FILE\n"
      << "       " << run_tool_name
      << " [options] --example NAME --data FILE --out FILE\n\n"
      << "An option's value follows it or an '=' (--max-in-flight=256). A "
         "long option takes one dash or two; '--' ends the options. Ctrl-C "
         "stops starting items and lets those in flight end; a second one "
         "cancels them.\n\n"
      << "Built with MPI, it runs one job across the ranks mpirun starts "
         "(mpirun -np N "
      << run_tool_name
      << " ...): rank 0 hands out the items and writes the results file, "
         "and the endpoint budgets hold for the whole job "
         "(docs/distributed.md).\n\n"
      << "OPTIONS:\n";
  XcsRunOptions unused;
  print_options(out, option_table(unused));
}

} // namespace xcs
