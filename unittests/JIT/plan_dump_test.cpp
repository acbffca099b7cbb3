//===- JIT/plan_dump_test.cpp - XCS_DUMP and plan_stage_text --------------===//
///
/// \file
/// A user program's plans, inspected: JitOptions::dump and XCS_DUMP write
/// the asked stages of every plan built, and plan_stage_text() returns them.
///
//===----------------------------------------------------------------------===//

#include "JIT/plan_dump.h"

#include "IR/parser.h"
#include "xcs/error.h"
#include "xcs/metrics.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace xcs {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

/// A fresh empty directory under the test temp directory.
fs::path fresh_directory(const std::string &name) {
  fs::path dir = fs::path(::testing::TempDir()) / ("xcs-dump-" + name);
  fs::remove_all(dir);
  return dir;
}

std::vector<std::string> files_in(const fs::path &dir) {
  std::vector<std::string> names;
  if (fs::exists(dir))
    for (const fs::directory_entry &entry : fs::directory_iterator(dir))
      names.push_back(entry.path().filename().string());
  std::ranges::sort(names);
  return names;
}

std::string contents(const fs::path &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Sets an environment variable for one scope.
class ScopedEnvironment {
public:
  ScopedEnvironment(const char *name, const std::string &value) : name_(name) {
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnvironment() { unsetenv(name_); }

private:
  const char *name_;
};

TEST(PlanDumpTest, EveryPlanBuiltWritesTheAskedStages) {
  fs::path dir = fresh_directory("options");
  JitOptions options;
  options.dump = {{PlanStage::Asm, PlanStage::Ir, PlanStage::IrOpt, PlanStage::Dot},
                  dir.string()};
  OperatorPtr diamond = jit(ops::example("diamond").op, options);
  EXPECT_EQ((*diamond)(Record{{"x", 5}}), (Record{{"sum", 28}}));
  std::vector<std::string> names = files_in(dir);
  ASSERT_EQ(names.size(), 4u) << ::testing::PrintToString(names);
  std::regex pattern(R"(Diamond\.[0-9a-f]{16}\.(asm\.s|dot\.dot|ir\.xcs|ir-opt\.xcs))");
  for (const std::string &name : names)
    EXPECT_TRUE(std::regex_match(name, pattern)) << name;
  // The files hold what plan_stage_text() returns, and the IR reads back.
  std::string hash = names[0].substr(8, 16);
  fs::path ir = dir / ("Diamond." + hash + ".ir.xcs");
  EXPECT_EQ(contents(ir), plan_stage_text(*diamond, PlanStage::Ir));
  EXPECT_EQ(contents(dir / ("Diamond." + hash + ".ir-opt.xcs")),
            plan_stage_text(*diamond, PlanStage::IrOpt));
  llvm::Expected<ir::Module> module =
      ir::parse_and_verify(contents(ir), ir.string());
  EXPECT_TRUE(static_cast<bool>(module)) << llvm::toString(module.takeError());
  EXPECT_THAT(contents(dir / ("Diamond." + hash + ".dot.dot")),
              HasSubstr("digraph \"Diamond\" {"));
  // A call served by the plan builds nothing and writes nothing more.
  (*diamond)(Record{{"x", 6}});
  EXPECT_EQ(files_in(dir).size(), 4u);
}

// Plans of several operators share a directory: each file names its
// operator and its plan.
TEST(PlanDumpTest, PlansOfSeveralOperatorsSitSideBySide) {
  fs::path dir = fresh_directory("operators");
  JitOptions options;
  options.dump = {{PlanStage::IrOpt}, dir.string()};
  OperatorPtr chain = jit(ops::example("chain").op, options);
  OperatorPtr nested = jit(ops::example("nested").op, options);
  (*chain)(Record{{"x", 5}});
  (*nested)(Record{{"x", 5}});
  std::vector<std::string> names = files_in(dir);
  ASSERT_EQ(names.size(), 2u) << ::testing::PrintToString(names);
  EXPECT_TRUE(names[0].starts_with("Chain.")) << names[0];
  EXPECT_TRUE(names[1].starts_with("NestedOuter.")) << names[1];
}

TEST(PlanDumpTest, TheEnvironmentAsksForADump) {
  fs::path dir = fresh_directory("environment");
  OperatorPtr nested;
  {
    ScopedEnvironment dump("XCS_DUMP", "trace,llvm:" + dir.string());
    nested = jit(ops::example("nested").op);
  }
  (*nested)(Record{{"x", 1}});
  std::vector<std::string> names = files_in(dir);
  ASSERT_EQ(names.size(), 2u) << ::testing::PrintToString(names);
  EXPECT_TRUE(names[0].ends_with(".llvm.ll")) << names[0];
  EXPECT_TRUE(names[1].ends_with(".trace.txt")) << names[1];
  EXPECT_THAT(contents(dir / names[0]), HasSubstr("define "));
}

TEST(PlanDumpTest, AMalformedEnvironmentValueIsAnError) {
  OperatorPtr chain = ops::example("chain").op;
  {
    ScopedEnvironment dump("XCS_DUMP", "ir-opt");
    EXPECT_THAT([&] { jit(chain); },
                ThrowsMessage<InputError>(HasSubstr(
                    "XCS_DUMP='ir-opt': expected STAGES:DIR")));
  }
  {
    ScopedEnvironment dump("XCS_DUMP", "ir,bytecode:/tmp/x");
    EXPECT_THAT([&] { jit(chain); },
                ThrowsMessage<InputError>(HasSubstr(
                    "unknown stage 'bytecode' in XCS_DUMP (valid stages: "
                    "trace,graph,dot,ir,ir-opt,llvm,llvm-opt,asm)")));
  }
  JitOptions options;
  options.dump.stages = {PlanStage::Ir};
  EXPECT_THAT([&] { jit(chain, options); },
              ThrowsMessage<InputError>(HasSubstr("dump.directory is empty")));
}

// A dump is a diagnostic: a directory that cannot be made fails no call.
TEST(PlanDumpTest, AnUnwritableDirectoryFailsNoCall) {
  JitOptions options;
  options.dump = {{PlanStage::Ir}, "/dev/null/xcs-dump"};
  OperatorPtr diamond = jit(ops::example("diamond").op, options);
  EXPECT_EQ((*diamond)(Record{{"x", 5}}), (Record{{"sum", 28}}));
}

TEST(PlanStageTextTest, NeedsAJitOperatorThatBuiltAPlan) {
  OperatorPtr chain = ops::example("chain").op;
  EXPECT_THAT([&] { plan_stage_text(*chain, PlanStage::Ir); },
              ThrowsMessage<InputError>(
                  HasSubstr("operator 'Chain' is not a jit operator")));
  OperatorPtr jitted = jit(chain);
  EXPECT_THAT([&] { plan_stage_text(*jitted, PlanStage::Ir); },
              ThrowsMessage<InputError>(HasSubstr("has built no plan yet")));
  (*jitted)(Record{{"x", 1}});
  for (PlanStage stage : all_plan_stages())
    EXPECT_FALSE(plan_stage_text(*jitted, stage).empty())
        << plan_stage_name(stage);
}

// Under the trace strategy the first call runs the pipeline while tracing:
// its time counts as execution too, not as 0.
TEST(PlanStageTextTest, TheTracedCallsTimeIsExecution) {
  JitOptions options;
  options.strategy = Strategy::Trace;
  OperatorPtr diamond = jit(ops::example("diamond").op, options);
  (*diamond)(Record{{"x", 5}});
  Record report = JitPerformanceMetrics::report(*diamond);
  EXPECT_GT(report.at("execution_ns").as_int(), 0);
  EXPECT_GE(report.at("trace_ns").as_int(), report.at("execution_ns").as_int());
}

} // namespace
} // namespace xcs
