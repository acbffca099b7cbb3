//===- Driver/jit_dump_test.cpp - The xcs-jit-dump driver in-process ------===//
///
/// \file
/// Drives run_jit_dump() with string streams: option forms, input files and
/// the one-line diagnostics. What the tool prints for each example is
/// checked by the FileCheck tests beside this file.
///
//===----------------------------------------------------------------------===//

#include "Driver/jit_dump.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace xcs {
namespace {

/// What one run of the driver returned and printed.
struct DumpRun {
  int status;
  std::string out;
  std::string err;
};

DumpRun run_dump(std::vector<std::string> args) {
  args.insert(args.begin(), "xcs-jit-dump");
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  std::ostringstream out, err;
  int status =
      run_jit_dump(static_cast<int>(argv.size()), argv.data(), out, err);
  return {status, out.str(), err.str()};
}

/// Expects a failed run that printed nothing but one diagnostic line
/// containing \p text.
void expect_error(const DumpRun &run, std::string_view text) {
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_TRUE(run.err.starts_with("xcs-jit-dump: error: ")) << run.err;
  EXPECT_EQ(std::ranges::count(run.err, '\n'), 1) << run.err;
  EXPECT_NE(run.err.find(text), std::string::npos) << run.err;
}

/// A file named \p name under the test temp directory holding \p text.
std::string write_temp_file(std::string_view name, std::string_view text) {
  std::string path = ::testing::TempDir() + "xcs-jit-dump-" + std::string(name);
  std::ofstream(path) << text;
  return path;
}

TEST(JitDumpTest, HelpListsEveryOption) {
  DumpRun run = run_dump({"--help"});
  EXPECT_EQ(run.status, 0);
  EXPECT_EQ(run.err, "");
  for (std::string_view option :
       {"--help", "--list-examples", "--example NAME", "--input JSON",
        "--run FILE"})
    EXPECT_NE(run.out.find(option), std::string::npos) << option;
}

TEST(JitDumpTest, RepeatedRunsInOneProcessAgree) {
  DumpRun first = run_dump({"--example", "diamond"});
  DumpRun second = run_dump({"--example=diamond"});
  EXPECT_EQ(first.status, 0);
  EXPECT_TRUE(first.out.starts_with("; == result ==\n")) << first.out;
  EXPECT_EQ(first.out, second.out);
}

TEST(JitDumpTest, InputFileMatchesInlineInput) {
  std::string input = R"({"x": 1})";
  std::string path = write_temp_file("input.json", input);
  DumpRun from_file = run_dump({"--example", "diamond", "--run", path});
  DumpRun inline_input = run_dump({"--example", "diamond", "--input", input});
  EXPECT_EQ(from_file.status, 0) << from_file.err;
  EXPECT_EQ(from_file.out, inline_input.out);
  EXPECT_NE(from_file.out, run_dump({"--example", "diamond"}).out);
}

TEST(JitDumpTest, MalformedInputFileNamesFileLineAndColumn) {
  std::string path = write_temp_file("malformed.json", "{\n  \"x\": }\n");
  expect_error(run_dump({"--example", "diamond", "--run", path}),
               path + ":2:");
}

TEST(JitDumpTest, MissingInputFile) {
  expect_error(run_dump({"--example", "diamond", "--run", "/no/such.json"}),
               "cannot open '/no/such.json'");
}

TEST(JitDumpTest, DirectoryAsInputFile) {
  expect_error(run_dump({"--example", "diamond", "--run", ::testing::TempDir()}),
               "is a directory");
}

TEST(JitDumpTest, InputOfTheWrongKind) {
  expect_error(run_dump({"--example", "diamond", "--input", R"({"x": "five"})"}),
               "x");
}

TEST(JitDumpTest, CommandLineMistakes) {
  expect_error(run_dump({}), "nothing to do");
  expect_error(run_dump({"--example"}), "option '--example' needs a value NAME");
  expect_error(run_dump({"--help=yes"}), "option '--help' takes no value");
  expect_error(run_dump({"diamond"}), "unexpected argument 'diamond'");
  expect_error(run_dump({"--input", "{}"}), "need --example NAME");
  expect_error(run_dump({"--example", "diamond", "--input", "{}", "--run",
                         "input.json"}),
               "cannot be combined");
}

} // namespace
} // namespace xcs
