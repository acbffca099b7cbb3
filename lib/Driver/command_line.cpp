//===- Driver/command_line.cpp - The tools' command lines -----------------===//

#include "Driver/command_line.h"

#include "Driver/columns.h"
#include "Driver/source_diagnostic.h"
#include "xcs/log.h"
#include "xcs/error.h"
#include "xcs/version.h"

#include <llvm/ADT/StringRef.h>

#include <algorithm>
#include <map>
#include <optional>
#include <ostream>
#include <utility>

namespace xcs {
namespace {

/// Whether \p flag names \p option: as spelt, or a long option with one
/// dash (-help for --help), as LLVM's tools accept.
bool names_option(std::string_view flag, const OptionSpec &option) {
  return flag == option.flag ||
         (option.flag.starts_with("--") && flag == option.flag.substr(1));
}

/// The known option nearest to the unknown \p flag, if one is near enough
/// to be a likely misspelling.
std::optional<std::string_view>
nearest_option(const std::vector<OptionSpec> &options, std::string_view flag) {
  std::optional<std::string_view> nearest;
  unsigned best = std::max<unsigned>(1, flag.size() / 3) + 1;
  for (const OptionSpec &option : options) {
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

const OptionSpec &find_option(const std::vector<OptionSpec> &options,
                              std::string_view flag) {
  auto it = std::ranges::find_if(options, [&](const OptionSpec &option) {
    return names_option(flag, option);
  });
  if (it != options.end())
    return *it;
  if (std::optional<std::string_view> nearest = nearest_option(options, flag))
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

} // namespace

std::string in_quotes(std::string_view text) {
  return "'" + std::string(text) + "'";
}

void parse_command_line(
    const std::vector<OptionSpec> &options,
    const std::vector<std::string_view> &args,
    const std::function<void(std::string_view)> &positional) {
  std::map<std::string_view, std::string_view> given;
  bool options_ended = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view flag = args[i];
    if (options_ended || flag == "-" || !flag.starts_with('-')) {
      positional(flag);
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
    const OptionSpec &option = find_option(options, flag);
    check_once(given, option);
    if (option.value_name.empty() && value)
      throw InputError("option " + in_quotes(flag) + " takes no value");
    if (!option.value_name.empty() && !value) {
      if (i + 1 == args.size())
        throw InputError("option " + in_quotes(flag) + " needs a value " +
                         std::string(option.value_name));
      value = std::string(args[++i]);
    }
    option.apply(value.value_or(""));
  }
}

void print_options(std::ostream &out, const std::vector<OptionSpec> &options) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const OptionSpec &option : options) {
    std::string usage(option.flag);
    if (!option.value_name.empty())
      usage += " " + std::string(option.value_name);
    rows.emplace_back(std::move(usage), std::string(option.help));
  }
  print_columns(out, rows);
}

void print_tool_version(std::ostream &out, std::string_view tool) {
  out << tool << " (XCS) " << version() << '\n';
}

namespace {

void report(std::ostream &err, std::string_view tool, std::string_view message,
            std::string_view context = "") {
  std::string line(message);
  std::ranges::replace(line, '\n', ' ');
  err << tool << ": error: " << line << '\n' << context;
}

} // namespace

int run_tool_main(std::string_view tool, std::ostream &err,
                  const std::function<int()> &body) {
  log_level();
  try {
    return body();
  } catch (const SourceDiagnostic &error) {
    report(err, tool, error.what(), error.context());
  } catch (const std::exception &error) {
    // xcs::Error, errors of LLVM turned into CompileError, and whatever an
    // operator's forward() threw.
    report(err, tool, error.what());
  } catch (...) {
    report(err, tool, "unknown exception");
  }
  return 1;
}

} // namespace xcs
