//===- task_order_test.cpp - Checking a schedule --------------------------===//

#include "CodeGen/task_order.h"

#include "scheduled_ir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace xcs::codegen {
namespace {

using ::testing::HasSubstr;

/// Two calls on %2 that may run at once, joined by %7.
constexpr std::string_view diamond = R"(
operator @f "F"
graph @g(x) -> (y) {
  %0 = input x
  %1 = call @f(x: %0)
  %2 = get %1 y
  %3 = call @f(x: %2)
  %4 = get %3 y
  %5 = call @f(x: %2)
  %6 = get %5 y
  %7 = record {a: %4, b: %6}
  %8 = call @f(x: %7)
  output y: %8
}
)";

class TaskOrderTest : public ::testing::Test {
protected:
  TaskOrderTest() : function_(test::scheduled(diamond).function) {}

  /// The error task_order() reports for function_.
  std::string error() {
    llvm::Expected<std::vector<std::uint32_t>> order = task_order(function_);
    return order ? std::string() : test::message(order.takeError());
  }

  /// The task holding node \p node.
  ir::Task &task_of(ir::NodeIndex node) {
    return *std::find_if(function_.tasks.begin(), function_.tasks.end(),
                         [&](const ir::Task &task) {
                           return std::count(task.nodes.begin(),
                                             task.nodes.end(), node) != 0;
                         });
  }

  ir::Function function_;
};

TEST_F(TaskOrderTest, OrdersTasksAfterTheirPredecessors) {
  llvm::Expected<std::vector<std::uint32_t>> order = task_order(function_);
  ASSERT_TRUE(bool(order)) << test::message(order.takeError());
  ASSERT_EQ(order->size(), function_.tasks.size());
  std::vector<std::size_t> position(order->size());
  for (std::size_t i = 0; i < order->size(); ++i)
    position[(*order)[i]] = i;
  for (std::uint32_t t = 0; t < function_.tasks.size(); ++t)
    for (std::uint32_t successor : function_.tasks[t].successors)
      EXPECT_LT(position[t], position[successor]);
}

TEST_F(TaskOrderTest, RejectsMissingSlots) {
  function_.slots.clear();
  EXPECT_THAT(error(), HasSubstr("graph @g: cannot compile the schedule: 0 "
                                 "slots for 10 nodes (were slots assigned?)"));
}

TEST_F(TaskOrderTest, RejectsASlotOutOfRange) {
  function_.slots[3] = function_.slot_count;
  EXPECT_THAT(error(), HasSubstr("%3 has slot"));
}

TEST_F(TaskOrderTest, RejectsAMissingSchedule) {
  function_.tasks.clear();
  EXPECT_THAT(error(), HasSubstr("no tasks (was it scheduled?)"));
}

TEST_F(TaskOrderTest, RejectsANodeInTwoTasks) {
  task_of(4).nodes.push_back(0);
  EXPECT_THAT(error(), HasSubstr("%0 is in two tasks"));
}

TEST_F(TaskOrderTest, RejectsANodeInNoTask) {
  std::vector<ir::NodeIndex> &nodes = task_of(6).nodes;
  nodes.erase(std::find(nodes.begin(), nodes.end(), 6));
  EXPECT_THAT(error(), HasSubstr("%6 is in no task"));
}

TEST_F(TaskOrderTest, RejectsTheOutputInATask) {
  task_of(8).nodes.push_back(9);
  EXPECT_THAT(error(), HasSubstr("the output %9 is in task"));
}

TEST_F(TaskOrderTest, RejectsAMissingSuccessor) {
  function_.tasks[0].successors.push_back(99);
  EXPECT_THAT(error(), HasSubstr("task 0 has successor 99 of"));
}

TEST_F(TaskOrderTest, RejectsAWrongJoinCount) {
  function_.tasks.back().join_count += 1;
  EXPECT_THAT(error(), HasSubstr("predecessors"));
}

TEST_F(TaskOrderTest, RejectsACycle) {
  function_.tasks.back().successors.push_back(0);
  function_.tasks[0].join_count = 1;
  EXPECT_THAT(error(), HasSubstr("the tasks form a cycle"));
}

TEST_F(TaskOrderTest, RejectsANodeBeforeItsOperand) {
  std::vector<ir::NodeIndex> &nodes = task_of(4).nodes;
  std::reverse(nodes.begin(), nodes.end());
  EXPECT_THAT(error(), HasSubstr("%4 runs before its operand %3"));
}

} // namespace
} // namespace xcs::codegen
