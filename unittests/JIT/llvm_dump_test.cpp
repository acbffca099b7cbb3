//===- llvm_dump_test.cpp - The LLVM stages as text -----------------------===//

#include "JIT/llvm_dump.h"

#include "jit_test_util.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xcs {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view text = R"(
operator @f "F"
graph @dumped(x) -> (y) {
  %0 = input x
  %1 = call @f(x: %0)
  %2 = get %1 y
  %3 = call @f(x: %2)
  output y: %3
}
)";

std::string dump(OptLevel level, LlvmStage stage) {
  llvm::Expected<std::string> text =
      dump_llvm(test::scheduled(xcs::text), level, stage);
  if (!text) {
    ADD_FAILURE() << test::message(text.takeError());
    return "";
  }
  return *text;
}

class LlvmDumpTest : public ::testing::TestWithParam<OptLevel> {};

TEST_P(LlvmDumpTest, TheEmittedIrNamesSymbolsAfterTheGraph) {
  EXPECT_THAT(dump(GetParam(), LlvmStage::Emitted),
              AllOf(HasSubstr("define i32 @xcs_dumped_task(ptr"),
                    HasSubstr("define i32 @xcs_dumped_entry(ptr"),
                    HasSubstr("define i32 @xcs_dumped_output(ptr"),
                    HasSubstr("@xcs_dumped_tasks = constant"),
                    HasSubstr("declare i32 @xcs_rt_call("),
                    Not(HasSubstr("inttoptr"))));
}

TEST_P(LlvmDumpTest, TheOptimizedIrHasTheHostTarget) {
  EXPECT_THAT(dump(GetParam(), LlvmStage::Optimized),
              AllOf(HasSubstr("target triple"),
                    HasSubstr("@xcs_dumped_entry("),
                    HasSubstr("@xcs_dumped_tasks = "),
                    Not(HasSubstr("inttoptr"))));
}

TEST_P(LlvmDumpTest, TheAssemblyDefinesTheEntryAndCallsTheHelpers) {
  EXPECT_THAT(dump(GetParam(), LlvmStage::Assembly),
              AllOf(HasSubstr("xcs_dumped_entry:"),
                    HasSubstr("xcs_dumped_tasks:"), HasSubstr("xcs_rt_call")));
}

TEST_P(LlvmDumpTest, IsTheSameEveryTime) {
  for (LlvmStage stage :
       {LlvmStage::Emitted, LlvmStage::Optimized, LlvmStage::Assembly})
    EXPECT_EQ(dump(GetParam(), stage), dump(GetParam(), stage));
}

INSTANTIATE_TEST_SUITE_P(Levels, LlvmDumpTest,
                         ::testing::Values(OptLevel::O0, OptLevel::O2),
                         [](const auto &info) {
                           return std::string(opt_level_name(info.param));
                         });

/// \p text without its `target ...` lines.
std::string without_target(const std::string &text) {
  std::string kept;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end = text.find('\n', begin);
    end = end == std::string::npos ? text.size() : end + 1;
    if (text.compare(begin, 7, "target ") != 0)
      kept += text.substr(begin, end - begin);
    begin = end;
  }
  return kept;
}

TEST(LlvmDumpLevelTest, O0RunsNoIrPasses) {
  EXPECT_EQ(without_target(dump(OptLevel::O0, LlvmStage::Optimized)),
            dump(OptLevel::O0, LlvmStage::Emitted));
}

TEST(LlvmDumpLevelTest, O2Optimizes) {
  EXPECT_NE(dump(OptLevel::O2, LlvmStage::Optimized),
            dump(OptLevel::O0, LlvmStage::Optimized));
}

TEST(LlvmDumpErrorTest, RejectsAnUnscheduledModule) {
  llvm::Expected<std::string> text = dump_llvm(
      test::parsed(xcs::text), OptLevel::O0, LlvmStage::Emitted);
  ASSERT_FALSE(bool(text));
  EXPECT_THAT(test::message(text.takeError()),
              HasSubstr("cannot compile the schedule"));
}

} // namespace
} // namespace xcs
