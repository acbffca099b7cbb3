//===- emitter_test.cpp - LLVM IR from the routing IR ---------------------===//

#include "CodeGen/emitter.h"

#include "Runtime/runtime_abi.h"
#include "scheduled_ir.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace xcs::codegen {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

/// Every node kind; two calls that may run at once. %2's task runs %2, %3,
/// %9 and %10 in that order.
constexpr std::string_view text = R"(
operator @f "F"
operator @g "G"
graph @every_kind(x) -> (a, b, c, d, e) {
  %0 = input x
  %1 = const [1, 2]
  %2 = call @f(x: %0)
  %3 = get %2 y
  %4 = call @g(x: %0, l: %1)
  %5 = get %4 y.z
  %6 = list [%3, %5]
  %7 = record {p: %6, q: %4}
  %8 = get %1 [1]
  %9 = list [%3]
  %10 = get %2 w
  output a: %7, b: %8, c: %2, d: %9, e: %10
}
)";

/// \p module as LLVM prints it.
std::string printed(const llvm::Module &module) {
  std::string text;
  llvm::raw_string_ostream out(text);
  module.print(out, nullptr);
  return text;
}

class EmitterTest : public ::testing::Test {
protected:
  EmitterTest() : module_(test::scheduled(text)) {
    llvm::Expected<EmittedModule> emitted = emit(module_, context_, "p");
    if (!emitted) {
      ADD_FAILURE() << test::message(emitted.takeError());
      return;
    }
    emitted_ = std::move(*emitted);
  }

  const llvm::Module &llvm_module() const { return *emitted_.module; }

  std::string llvm_text() const { return printed(llvm_module()); }

  ir::Module module_;
  llvm::LLVMContext context_;
  EmittedModule emitted_;
};

TEST_F(EmitterTest, EmitsAValidModule) {
  ASSERT_TRUE(emitted_.module);
  std::string problems;
  llvm::raw_string_ostream out(problems);
  EXPECT_FALSE(llvm::verifyModule(llvm_module(), &out)) << problems;
}

TEST_F(EmitterTest, EmitsOneFunctionForAllTasksSwitchingOnTheIndex) {
  ASSERT_TRUE(emitted_.module);
  ASSERT_GE(module_.function.tasks.size(), 2u);
  const llvm::Function *task = llvm_module().getFunction("p_task");
  ASSERT_NE(task, nullptr);
  ASSERT_EQ(task->arg_size(), 2u);
  const auto *dispatch =
      llvm::dyn_cast<llvm::SwitchInst>(task->getEntryBlock().getTerminator());
  ASSERT_NE(dispatch, nullptr);
  EXPECT_EQ(dispatch->getNumCases(), module_.function.tasks.size());
  for (const auto &task_case : dispatch->cases())
    EXPECT_EQ(task_case.getCaseSuccessor()->getName().str(),
              "task" + std::to_string(task_case.getCaseValue()->getZExtValue()));
}

TEST_F(EmitterTest, ExportsTheEntryTheOutputAndTheTaskTable) {
  ASSERT_TRUE(emitted_.module);
  EXPECT_EQ(emitted_.entry_symbol, "p_entry");
  EXPECT_EQ(emitted_.output_symbol, "p_output");
  EXPECT_EQ(emitted_.task_symbol, "p_task");
  EXPECT_EQ(emitted_.tasks_symbol, "p_tasks");
  EXPECT_EQ(emitted_.task_count, module_.function.tasks.size());
  for (const std::string &name : {emitted_.entry_symbol, emitted_.task_symbol,
                                  emitted_.output_symbol}) {
    const llvm::Function *function = llvm_module().getFunction(name);
    ASSERT_NE(function, nullptr) << name;
    EXPECT_TRUE(function->hasExternalLinkage()) << name;
  }
  const llvm::GlobalVariable *table =
      llvm_module().getGlobalVariable("p_tasks");
  ASSERT_NE(table, nullptr);
  EXPECT_TRUE(table->isConstant());
  EXPECT_TRUE(table->hasExternalLinkage());
}

TEST_F(EmitterTest, TheTaskTableHoldsTheSchedule) {
  ASSERT_TRUE(emitted_.module);
  const auto *table = llvm::cast<llvm::ConstantArray>(
      llvm_module().getGlobalVariable("p_tasks")->getInitializer());
  const std::vector<ir::Task> &tasks = module_.function.tasks;
  ASSERT_EQ(table->getNumOperands(), tasks.size());
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const auto *entry = llvm::cast<llvm::ConstantStruct>(table->getOperand(t));
    EXPECT_EQ(llvm::cast<llvm::ConstantInt>(entry->getOperand(0))
                  ->getZExtValue(),
              tasks[t].join_count);
    EXPECT_EQ(llvm::cast<llvm::ConstantInt>(entry->getOperand(1))
                  ->getZExtValue(),
              tasks[t].successors.size());
  }
  EXPECT_THAT(llvm_text(),
              HasSubstr("@p_tasks = constant [" +
                        std::to_string(tasks.size()) +
                        " x { i32, i32, ptr }]"));
}

TEST_F(EmitterTest, HoldsNoProcessAddress) {
  EXPECT_THAT(llvm_text(), Not(HasSubstr("inttoptr")));
}

TEST_F(EmitterTest, CallsNothingButRuntimeHelpers) {
  ASSERT_TRUE(emitted_.module);
  auto helpers = runtime::runtime_symbols();
  for (const llvm::Function &function : llvm_module()) {
    if (!function.isDeclaration())
      continue;
    EXPECT_TRUE(std::any_of(helpers.begin(), helpers.end(),
                            [&](const runtime::RuntimeSymbol &symbol) {
                              return symbol.name == function.getName().str();
                            }))
        << function.getName().str();
  }
}

TEST_F(EmitterTest, NoFunctionUnwinds) {
  ASSERT_TRUE(emitted_.module);
  for (const llvm::Function &function : llvm_module())
    EXPECT_TRUE(function.doesNotThrow()) << function.getName().str();
}

TEST_F(EmitterTest, TheCallReadsTheFieldsReadRightAfterIt) {
  // %3 reads field y of %2's record into slot 3: the triple (3, y, 3).
  std::string y = std::to_string(FieldId("y").index());
  EXPECT_THAT(llvm_text(), HasSubstr("[3 x i32] [i32 3, i32 " + y +
                                     ", i32 3]"));
  EXPECT_THAT(llvm_text(),
              Not(HasSubstr("@xcs_rt_get_field(ptr %frame, i32 3,")));
}

TEST_F(EmitterTest, BakesFieldIndexesIntoTheCode) {
  // %10 reads field w of %2's record slot (record slot 0) into slot 10; %9
  // stands between it and the call.
  std::string w = std::to_string(FieldId("w").index());
  EXPECT_THAT(llvm_text(),
              HasSubstr("call i32 @xcs_rt_get_field(ptr %frame, i32 10, i32 "
                        "0, i32 " + w + ", i32 10)"));
}

TEST_F(EmitterTest, BoxesOnlyCallsUsedWhole) {
  // %4 is used whole by %7 and %2 by the output; neither %3 nor %5 needs it.
  EXPECT_THAT(llvm_text(),
              HasSubstr("call i32 @xcs_rt_box(ptr %frame, i32 4, i32 1, i32 "
                        "4)"));
  EXPECT_THAT(llvm_text(),
              HasSubstr("call i32 @xcs_rt_box(ptr %frame, i32 2, i32 0, i32 "
                        "2)"));
}

TEST_F(EmitterTest, ChecksEveryStatus) {
  // Each helper call is followed by a branch to the failure block.
  std::string text = llvm_text();
  std::size_t calls = 0;
  std::size_t checks = 0;
  for (std::size_t at = text.find("call i32 @"); at != std::string::npos;
       at = text.find("call i32 @", at + 1))
    ++calls;
  for (std::size_t at = text.find("label %failed"); at != std::string::npos;
       at = text.find("label %failed", at + 1))
    ++checks;
  // Two calls return their status directly: the entry's, of the task
  // function, and the task function's, of the output at the end of a serial
  // run.
  EXPECT_EQ(checks + 2, calls);
}

TEST(EmitterOutputTest, AnOutputBuiltInPlaceIsNeitherEmittedNorCalled) {
  // The output takes %1's record whole, so %1 builds the result; its check
  // %3 rides with %1's helper.
  ir::Module module = test::scheduled(R"(
operator @f "F"
operator @c "C"
graph @in_place(x) -> (y) {
  %0 = input x
  %1 = call @f(x: %0)
  %2 = get %1 y
  %3 = check @c outputs(y: %2)
  output y: %2
}
)");
  llvm::LLVMContext context;
  llvm::Expected<EmittedModule> emitted = emit(module, context, "p");
  ASSERT_TRUE(bool(emitted)) << test::message(emitted.takeError());
  EXPECT_EQ(emitted->shape.output_record, 0u);
  std::string text = printed(*emitted->module);
  EXPECT_THAT(text, Not(HasSubstr("@xcs_rt_output")));
  EXPECT_THAT(text, Not(HasSubstr("@xcs_rt_check")));
  EXPECT_THAT(text, Not(HasSubstr("call i32 @p_output")));
  // Nothing follows the one task, serial run or not.
  EXPECT_THAT(text, Not(HasSubstr("%serial")));
  // One reads triple: (get %2 | fused_check, y, checked entry 0); LLVM
  // prints the i32 signed.
  std::string get = std::to_string(
      static_cast<std::int32_t>(2 | runtime::fused_check));
  std::string y = std::to_string(FieldId("y").index());
  EXPECT_THAT(text,
              HasSubstr("[3 x i32] [i32 " + get + ", i32 " + y + ", i32 0]"));
}

TEST(EmitterErrorTest, RejectsAnUnscheduledModule) {
  ir::Module module = test::parsed(text);
  llvm::LLVMContext context;
  llvm::Expected<EmittedModule> emitted = emit(module, context, "p");
  ASSERT_FALSE(bool(emitted));
  EXPECT_THAT(test::message(emitted.takeError()),
              HasSubstr("graph @every_kind: cannot compile the schedule"));
}

} // namespace
} // namespace xcs::codegen
