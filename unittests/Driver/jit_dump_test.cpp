//===- Driver/jit_dump_test.cpp - The xcs-jit-dump driver in-process ------===//
///
/// \file
/// Drives run_jit_dump() with string streams: option forms, input files,
/// repeated runs in one process and the one-line diagnostics. What the tool
/// prints for each example and IR file is checked by the FileCheck tests
/// beside this file.
///
//===----------------------------------------------------------------------===//

#include "Driver/jit_dump.h"

#include "Driver/dump_plan.h"
#include "Driver/sections.h"
#include "JIT/plan_stages.h"
#include "xcs/error.h"
#include "xcs/json.h"
#include "xcs/ops.h"
#include "xcs/registry.h"
#include "xcs/version.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
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
       {"--help", "--version", "-o FILE", "-O1", "-O3", "--list-examples",
        "--example NAME", "--strategy NAME", "--load LIB", "--print STAGES",
        "--input JSON", "--run FILE", "--interpret", "--metrics", "-O0", "-O2",
        "FILE.xcs"})
    EXPECT_NE(run.out.find(option), std::string::npos) << option;
  for (PlanStage stage : all_plan_stages())
    EXPECT_NE(run.out.find(plan_stage_name(stage)), std::string::npos)
        << plan_stage_name(stage);
}

TEST(JitDumpTest, RepeatedRunsInOneProcessAgree) {
  DumpRun first = run_dump({"--example", "diamond"});
  DumpRun second = run_dump({"--example=diamond"});
  EXPECT_EQ(first.status, 0);
  EXPECT_TRUE(first.out.starts_with("{\n")) << first.out;
  EXPECT_EQ(first.out, second.out);
}

TEST(JitDumpTest, EveryStagePrintsTheSameTextTwice) {
  // No times, addresses or counters in any stage: a second run in the same
  // process (a warm engine, more operators made) prints the same bytes.
  for (std::string example : {"ensemble-judge", "nested"}) {
    std::vector<std::string> args{
        "--example", example,
        "--print=trace,graph,dot,ir,ir-opt,llvm,llvm-opt,asm"};
    DumpRun first = run_dump(args);
    EXPECT_EQ(first.status, 0) << first.err;
    EXPECT_EQ(first.out, run_dump(args).out) << example;
  }
}

TEST(JitDumpTest, StagesPrintInPipelineOrderOnce) {
  DumpRun run = run_dump({"--example", "chain", "--print=ir-opt,ir,ir-opt"});
  EXPECT_EQ(run.status, 0) << run.err;
  std::size_t ir = run.out.find("; == ir ==\n");
  std::size_t ir_opt = run.out.find("; == ir-opt ==\n");
  ASSERT_NE(ir, std::string::npos) << run.out;
  EXPECT_GT(ir_opt, ir);
  EXPECT_EQ(run.out.find("; == ir-opt ==", ir_opt + 1), std::string::npos);
}

TEST(JitDumpTest, EveryStrategyAndLevelGivesTheSameResult) {
  std::string expected = "{\n  \"result\": 94\n}\n";
  for (std::string strategy : {"trace", "structural", "auto"})
    for (std::string level : {"-O0", "-O1", "-O2", "-O3"})
      for (bool interpret : {false, true}) {
        std::vector<std::string> args{"--example", "nested",
                                      "--strategy=" + strategy, level};
        if (interpret)
          args.push_back("--interpret");
        DumpRun run = run_dump(args);
        EXPECT_EQ(run.status, 0) << run.err;
        EXPECT_EQ(run.out, expected) << strategy << " " << level;
      }
}

TEST(JitDumpTest, TheStrategyAndItsReasonAreShown) {
  DumpRun run = run_dump({"--example", "diamond", "--strategy", "structural",
                          "--print=graph", "--metrics"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(run.out.starts_with(
      "; == graph ==\n; strategy: structural (structural: requested)\n"))
      << run.out;
  EXPECT_NE(run.out.find("strategy:  structural (structural: requested)"),
            std::string::npos)
      << run.out;
}

TEST(JitDumpTest, IrFileFromATempDirectory) {
  std::string path = write_temp_file("double.xcs", R"(
operator @f "affine" {"mul": 2, "add": 0, "out": "y"}
graph @double(x) -> (y) {
  %x = input x
  %c = call @f(x: %x)
  %y = get %c y
  output y: %y
}
)");
  DumpRun run = run_dump({path, "--input", R"({"x": 21})"});
  EXPECT_EQ(run.status, 0) << run.err;
  EXPECT_EQ(run.out, "{\n  \"y\": 42\n}\n");
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
  expect_error(run_dump({"--example", "diamond", "--run", path}), path + ":2:");
}

TEST(JitDumpTest, MissingInputFile) {
  expect_error(run_dump({"--example", "diamond", "--run", "/no/such.json"}),
               "cannot open '/no/such.json'");
}

TEST(JitDumpTest, DirectoryAsInputFile) {
  expect_error(
      run_dump({"--example", "diamond", "--run", ::testing::TempDir()}),
      "is a directory");
}

TEST(JitDumpTest, InputOfTheWrongKind) {
  expect_error(
      run_dump({"--example", "diamond", "--input", R"({"x": "five"})"}),
      "'Diamond'");
}

TEST(JitDumpTest, MissingIrFile) {
  expect_error(run_dump({"/no/such.xcs", "--print=ir"}),
               "cannot open '/no/such.xcs'");
}

TEST(JitDumpTest, MissingPlugin) {
  std::string path =
      write_temp_file("empty.xcs", "graph @g() -> () {\n  output\n}\n");
  expect_error(run_dump({path, "--load", "no-such-plugin.so", "--print=ir"}),
               "cannot load plugin 'no-such-plugin.so'");
}

TEST(JitDumpTest, CommandLineMistakes) {
  expect_error(run_dump({}), "nothing to do");
  expect_error(run_dump({"--example"}),
               "option '--example' needs a value NAME");
  expect_error(run_dump({"--help=yes"}), "option '--help' takes no value");
  expect_error(run_dump({"a.xcs", "b.xcs"}), "unexpected argument 'b.xcs'");
  expect_error(run_dump({"a.xcs"}), "nothing to do with 'a.xcs'");
  expect_error(run_dump({"--input", "{}"}), "need --example NAME or FILE.xcs");
  expect_error(run_dump({"--print=ir"}), "need --example NAME or FILE.xcs");
  expect_error(run_dump({"--example", "diamond", "a.xcs"}), "not both");
  expect_error(run_dump({"a.xcs", "--strategy=trace", "--print=ir"}),
               "--strategy applies to --example only");
  expect_error(run_dump({"a.xcs", "--print=ir,dot"}),
               "stage 'dot' needs --example");
  expect_error(run_dump({"a.xcs", "--interpret"}),
               "--interpret needs an input");
  expect_error(run_dump({"--example", "diamond", "--print="}),
               "unknown stage ''");
  expect_error(run_dump({"--example", "diamond", "--strategy=fast"}),
               "unknown strategy 'fast'");
  expect_error(run_dump({"--example", "diamond", "--input", "{}", "--run",
                         "input.json"}),
               "cannot be combined");
  expect_error(run_dump({"--example", "diamond", "--load", "libshout.so"}),
               "--load applies to FILE.xcs only");
  expect_error(run_dump({"--example", "diamond", "-O4"}),
               "unknown option '-O4' (did you mean '-O0'?)");
  expect_error(run_dump({"--example", "diamond", "--metrics", "--metrics"}),
               "option '--metrics' given more than once");
  expect_error(run_dump({"--example", "diamond", "-O1", "-O3"}),
               "options '-O1' and '-O3' cannot be combined");
  expect_error(
      run_dump({"--example", "diamond", "--strategy=trace", "-strategy=auto"}),
      "option '--strategy' given more than once");
  expect_error(run_dump({"--example", "diamond", "--intrepret"}),
               "did you mean '--interpret'?");
  expect_error(run_dump({"--example", "diamond", "--", "-O2"}), "not both");
}

TEST(JitDumpTest, VersionAndOneDashLongOptions) {
  DumpRun version = run_dump({"-version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out,
            "xcs-jit-dump (XCS) " + std::string(xcs::version()) + "\n");
  EXPECT_EQ(version.err, "");
  EXPECT_EQ(run_dump({"-help"}).out, run_dump({"--help"}).out);
}

TEST(JitDumpTest, LoadIsRepeatable) {
  // Two plugins may be loaded; only a second load of the same names fails,
  // in the plugin loader rather than the command line.
  DumpRun run =
      run_dump({"a.xcs", "--print=ir", "--load", "x.so", "--load", "y.so"});
  EXPECT_EQ(run.status, 1);
  EXPECT_NE(run.err.find("cannot load plugin 'x.so'"), std::string::npos)
      << run.err;
}

TEST(JitDumpTest, OutputFile) {
  std::string path = ::testing::TempDir() + "xcs-jit-dump-output.txt";
  DumpRun to_file = run_dump({"--example", "diamond", "-o", path});
  EXPECT_EQ(to_file.status, 0) << to_file.err;
  EXPECT_EQ(to_file.out, "");
  std::ostringstream written;
  written << std::ifstream(path).rdbuf();
  EXPECT_EQ(written.str(), run_dump({"--example", "diamond", "-o", "-"}).out);
}

TEST(JitDumpTest, AWriteErrorFailsTheRun) {
  std::string arg0 = "xcs-jit-dump", arg1 = "--list-examples";
  char *argv[] = {arg0.data(), arg1.data()};
  std::ostream broken(nullptr); // every write fails
  std::ostringstream err;
  EXPECT_EQ(run_jit_dump(2, argv, broken, err), 1);
  EXPECT_EQ(err.str(),
            "xcs-jit-dump: error: cannot write to standard output\n");
}

// The options reject discovery stages for an IR file before anything runs;
// the stage itself still refuses rather than print an empty graph.
TEST(JitDumpTest, DiscoveryStagesNeedADiscoveredGraph) {
  std::string path =
      write_temp_file("undiscovered.xcs", "graph @g() -> () {\n  output\n}\n");
  DumpPlan dump = plan_ir_file(path, OperatorRegistry(), OptLevel::O0,
                               /*compile=*/false);
  for (PlanStage stage : all_plan_stages()) {
    if (!is_discovery_stage(stage))
      continue;
    try {
      stage_text(stage, dump, OptLevel::O0);
      ADD_FAILURE() << "no error for stage " << plan_stage_name(stage);
    } catch (const InputError &error) {
      EXPECT_EQ(std::string(error.what()), "stage '" +
                                               std::string(plan_stage_name(stage)) +
                                               "' needs a discovered graph");
    }
  }
}

// A plan computes its root's forward; like xcs::jit, the tool validates a
// run's result against the root's specification, whichever way it ran.
TEST(JitDumpTest, ARunsResultMeetsTheRootsSpecification) {
  OperatorPtr any = ops::function(
      "TextWhenNegative", Specification().input("x", Kind::Int).output("v"),
      [](const Record &in) {
        std::int64_t x = in.at("x").as_int();
        return x >= 0 ? Record{{"v", x}} : Record{{"v", "negative"}};
      });
  OperatorPtr root = ops::composite(
      "IntOut", Specification().input("x", Kind::Int).output("v", Kind::Int),
      [any](const Record &in) { return (*any)(in); });
  ops::Example example{"int-out", "", root, Record{{"x", 1}}};
  DumpPlan dump = plan_example(example, example.input, Strategy::Trace,
                               OptLevel::O0, /*compile=*/true);
  for (bool interpret : {false, true}) {
    EXPECT_EQ(run_plan(dump, Record{{"x", 2}}, interpret).output,
              (Record{{"v", 2}}));
    try {
      run_plan(dump, Record{{"x", -2}}, interpret);
      ADD_FAILURE() << "no error, interpret = " << interpret;
    } catch (const InputError &error) {
      EXPECT_EQ(
          std::string(error.what()),
          "operator 'IntOut': output field 'v': expected int, got string");
    }
  }
}

// Printed IR reads back: every example's IR, as lowered and after the
// passes, prints the same bytes when read back, and the file computes what
// the example computes.
TEST(JitDumpTest, EveryExamplesPrintedIrReadsBack) {
  for (const std::string &name : ops::example_names()) {
    std::string input = to_json(ops::example(name).input);
    DumpRun expected = run_dump({"--example", name, "--input", input});
    ASSERT_EQ(expected.status, 0) << expected.err;
    for (std::string stage : {"ir", "ir-opt"}) {
      DumpRun printed = run_dump({"--example", name, "--print=" + stage});
      ASSERT_EQ(printed.status, 0) << printed.err;
      std::string path = write_temp_file(name + "-" + stage + ".xcs", printed.out);
      DumpRun reread = run_dump({path, "--print=" + stage});
      EXPECT_EQ(reread.err, "") << name << " " << stage;
      EXPECT_EQ(reread.out, printed.out) << name << " " << stage;
      DumpRun rerun = run_dump({path, "--input", input});
      EXPECT_EQ(rerun.err, "") << name << " " << stage;
      EXPECT_EQ(rerun.out, expected.out) << name << " " << stage;
    }
  }
}

// An operator with no registry form prints by its own name, marked so that
// the reader rejects it and says how to bind one.
TEST(JitDumpTest, AnUnregisteredOperatorIsRejectedWithHowToBindIt) {
  OperatorPtr shout = ops::function(
      "Shout",
      Specification().input("text", Kind::String).output("text", Kind::String),
      [](const Record &in) {
        return Record{{"text", std::string(in.at("text").as_string()) + "!"}};
      });
  OperatorPtr root = ops::composite(
      "Loud",
      Specification().input("text", Kind::String).output("text", Kind::String),
      [shout](const Record &in) { return (*shout)(in); });
  ops::Example example{"loud", "", root, Record{{"text", "hi"}}};
  DumpPlan dump = plan_example(example, example.input, Strategy::Trace,
                               OptLevel::O0, /*compile=*/false);
  std::string ir = stage_text(PlanStage::Ir, dump, OptLevel::O0);
  EXPECT_NE(ir.find("operator @op0 \"Shout\" unregistered\n"),
            std::string::npos)
      << ir;
  std::string path = write_temp_file("loud.xcs", ir);
  DumpRun run = run_dump({path, "--print=ir"});
  EXPECT_EQ(run.status, 1);
  EXPECT_EQ(run.out, "");
  EXPECT_NE(run.err.find("loud.xcs:2:23: operator @op0 \"Shout\" was printed "
                         "from an operator with no registry form"),
            std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("--load"), std::string::npos) << run.err;
  // The diagnostic, then the line it points at and a caret under the word.
  EXPECT_TRUE(run.err.ends_with("\noperator @op0 \"Shout\" unregistered\n" +
                                std::string(22, ' ') + "^\n"))
      << run.err;
}

// A composite that stays in a plan only for its checks reads back as a
// declared operator: the checks pass and fail as before, and a call to it
// fails saying it has no body.
TEST(JitDumpTest, ACheckedCompositeReadsBackDeclared) {
  DumpRun printed = run_dump({"--example", "nested", "--print=ir"});
  ASSERT_EQ(printed.status, 0) << printed.err;
  EXPECT_NE(printed.out.find(R"(operator @op3 "declared" {"name":"NestedInner",)"
                             R"("spec":{"inputs":{"x":"int"},"outputs":{"y":"int"}}})"),
            std::string::npos)
      << printed.out;
  std::string path = write_temp_file("called-declared.xcs", R"(
operator @d "declared" {"name": "Inner", "spec": {"inputs": {"x": "int"}, "outputs": {"y": "int"}}}
graph @g(x) -> (y) {
  %x = input x
  %c = call @d(x: %x)
  %y = get %c y
  output y: %y
}
)");
  expect_error(run_dump({path, "--input", R"({"x": 1})"}),
               "operator 'Inner': a declared operator has a specification "
               "and no body, so it cannot be called");
}

// Output goes only where asked: a stage alone is its text, so DOT pipes
// into Graphviz, and an example with a stage asked runs only on an input.
TEST(JitDumpTest, AStageAloneIsItsTextAndTheExampleDoesNotRun) {
  DumpRun dot = run_dump({"--example", "diamond", "--print=dot"});
  EXPECT_EQ(dot.status, 0) << dot.err;
  EXPECT_TRUE(dot.out.starts_with("digraph \"Diamond\" {\n")) << dot.out;
  EXPECT_TRUE(dot.out.ends_with("}\n")) << dot.out;
  DumpRun ir_and_run =
      run_dump({"--example", "diamond", "--print=ir", "--input", R"({"x": 1})"});
  EXPECT_TRUE(ir_and_run.out.starts_with("; == ir ==\n")) << ir_and_run.out;
  EXPECT_NE(ir_and_run.out.find("; == result ==\n"), std::string::npos);
}

} // namespace
} // namespace xcs
