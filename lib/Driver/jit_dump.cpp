//===- Driver/jit_dump.cpp - The xcs-jit-dump driver ----------------------===//
///
/// \file
/// Command-line handling and actions of xcs-jit-dump. Options are parsed by
/// hand from one table rather than with llvm::cl, whose options are global
/// state: run_jit_dump() may run many times in one process (tests do), and
/// an application embedding libxcs owns its own command line.
///
//===----------------------------------------------------------------------===//

#include "Driver/jit_dump.h"

#include "xcs/error.h"
#include "xcs/json.h"
#include "xcs/ops.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xcs {
namespace {

constexpr std::string_view tool_name = "xcs-jit-dump";

/// What the command line asked for.
struct Options {
  bool help = false;
  bool list_examples = false;
  std::optional<std::string> example;
  std::optional<std::string> input_json;
  std::optional<std::string> input_file;
};

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
    {"--example", "NAME", "Run the built-in example NAME eagerly.",
     [](Options &o, std::string v) { o.example = std::move(v); }},
    {"--input", "JSON",
     "Input record as an inline JSON object (default: the example's).",
     [](Options &o, std::string v) { o.input_json = std::move(v); }},
    {"--run", "FILE", "Read the input record from the JSON file FILE.",
     [](Options &o, std::string v) { o.input_file = std::move(v); }},
};

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

const OptionSpec &find_option(std::string_view flag) {
  auto it = std::ranges::find(option_table, flag, &OptionSpec::flag);
  if (it != std::end(option_table))
    return *it;
  if (flag.starts_with('-'))
    throw InputError("unknown option " + in_quotes(flag) + " (see --help)");
  throw InputError("unexpected argument " + in_quotes(flag) + " (see --help)");
}

/// Rejects combinations that no action can honour, before anything runs.
void check_combinations(const Options &options) {
  if (options.input_json && options.input_file)
    throw InputError("--input and --run cannot be combined");
  if ((options.input_json || options.input_file) && !options.example)
    throw InputError("--input and --run need --example NAME");
}

Options parse_arguments(const std::vector<std::string_view> &args) {
  Options options;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
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

/// Prints rows as two aligned columns, indented.
void print_columns(std::ostream &out,
                   const std::vector<std::pair<std::string, std::string>> &rows) {
  std::size_t width = 0;
  for (const auto &row : rows)
    width = std::max(width, row.first.size());
  for (const auto &[left, right] : rows)
    out << "  " << left << std::string(width - left.size() + 2, ' ') << right
        << '\n';
}

void print_help(std::ostream &out) {
  out << "OVERVIEW: " << tool_name
      << " - run XCS operator pipelines and print each stage\n\n"
      << "USAGE: " << tool_name << " [options]\n\nOPTIONS:\n";
  std::vector<std::pair<std::string, std::string>> rows;
  for (const OptionSpec &option : option_table) {
    std::string usage(option.flag);
    if (!option.value_name.empty())
      usage += " " + std::string(option.value_name);
    rows.emplace_back(std::move(usage), std::string(option.help));
  }
  print_columns(out, rows);
}

void list_examples(std::ostream &out) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const std::string &name : ops::example_names())
    rows.emplace_back(name, ops::example(name).description);
  print_columns(out, rows);
}

std::string read_file(const std::string &path) {
  // An ifstream opens a directory without complaint and then reads nothing,
  // which would surface as a misleading JSON error.
  if (std::filesystem::is_directory(path))
    throw InputError("cannot read " + in_quotes(path) + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw InputError("cannot open " + in_quotes(path) + ": " +
                     std::strerror(errno));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The input record: from --input, from --run, or the example's default.
Record read_input(const Options &options, Record default_input) {
  if (options.input_json)
    return parse_json_record(*options.input_json, "<--input>");
  if (options.input_file)
    return parse_json_record(read_file(*options.input_file),
                             *options.input_file);
  return default_input;
}

/// Every stage a run prints starts with a "; == STAGE ==" header line, so
/// tests and readers can find it.
void print_stage(std::ostream &out, std::string_view stage,
                 std::string_view text) {
  out << "; == " << stage << " ==\n" << text << '\n';
}

void run_example(const Options &options, std::ostream &out) {
  ops::Example example = ops::example(*options.example);
  Record input = read_input(options, std::move(example.input));
  Record result = (*example.op)(input);
  print_stage(out, "result", to_json(result, /*pretty=*/true));
}

void run(const Options &options, std::ostream &out) {
  if (options.help) {
    print_help(out);
    return;
  }
  if (!options.list_examples && !options.example)
    throw InputError(
        "nothing to do: give --example NAME or --list-examples (see --help)");
  if (options.list_examples)
    list_examples(out);
  if (options.example)
    run_example(options, out);
}

/// Diagnostics are a single line so that scripts and tests can match them,
/// even when an error message spans lines.
void report(std::ostream &err, std::string_view message) {
  std::string line(message);
  std::ranges::replace(line, '\n', ' ');
  err << tool_name << ": error: " << line << '\n';
}

} // namespace

int run_jit_dump(int argc, char **argv, std::ostream &out, std::ostream &err) {
  try {
    std::vector<std::string_view> args(argv + std::min(argc, 1), argv + argc);
    run(parse_arguments(args), out);
    return 0;
  } catch (const std::exception &error) {
    // xcs::Error and whatever an operator's forward() threw.
    report(err, error.what());
  } catch (...) {
    report(err, "unknown exception");
  }
  return 1;
}

} // namespace xcs
