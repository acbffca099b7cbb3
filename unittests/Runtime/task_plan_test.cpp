//===- task_plan_test.cpp - Runs of hand-written task tables --------------===//
//
// Task functions written here rather than compiled can record a failure and
// then signal it, which pins down what a compiled plan leaves to chance:
// that a sibling is still running when another task has failed.
//
//===----------------------------------------------------------------------===//

#include "Runtime/task_plan.h"

#include "rendezvous.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <vector>

namespace xcs::runtime {
namespace {

/// What the tasks below share with the test running them.
struct Script {
  test::Event b_running;
  test::Event a_failed;
  std::atomic<bool> b_finished{false};
  std::atomic<bool> after_ran{false};
};
Script *script = nullptr;

std::int32_t root(Frame *) { return 0; }

/// Fails once b runs, and tells b so.
std::int32_t task_a(Frame *frame) {
  script->b_running.wait();
  frame->fail(1, "A", std::make_exception_ptr(std::runtime_error("A failed")));
  script->a_failed.set();
  return 1;
}

/// Still running when a fails; finishes after.
std::int32_t task_b(Frame *) {
  script->b_running.set();
  script->a_failed.wait();
  script->b_finished = true;
  return 0;
}

std::int32_t after(Frame *) {
  script->after_ran = true;
  return 0;
}

std::int32_t nothing(Frame *) { return 0; }

/// a and b wait for each other: run serially, they could not finish.
std::int32_t serial_entry(Frame *) {
  ADD_FAILURE() << "the plan ran serially";
  return 1;
}

const std::uint32_t root_successors[] = {1, 2};
const std::uint32_t after_only[] = {3};
/// root -> a, b -> after.
const TaskEntry table[] = {{0, 2, root_successors},
                           {1, 1, after_only},
                           {1, 1, after_only},
                           {2, 0, nullptr}};
const TaskFunction table_tasks[] = {root, task_a, task_b, after};

/// What a compiled module's task function does: runs task \p t.
std::int32_t run_table_task(Frame *frame, std::uint32_t t) {
  return table_tasks[t](frame);
}

TEST(TaskPlanTest, AFailureLetsRunningSiblingsFinishAndStartsNothingMore) {
  Script shared;
  script = &shared;
  Record input;
  Record output;
  FrameTables no_tables;
  Frame frame({0, 0}, input, no_tables, output);
  TaskPlan plan(serial_entry, nothing, run_table_task, table, {0, 1, 2, 3},
                std::vector<TaskKind>(4, TaskKind::Blocking), false);
  Executor executor(2);
  EXPECT_NE(plan.run(frame, {.workers = 3,
                             .serial_below = std::chrono::nanoseconds(0),
                             .executor = &executor}),
            0);
  EXPECT_TRUE(shared.b_finished);
  EXPECT_FALSE(shared.after_ran);
  ASSERT_TRUE(frame.failed());
  EXPECT_EQ(frame.failure().node, 1u);
  EXPECT_EQ(frame.failure().what, "A");
  script = nullptr;
}

/// What the tasks of the second table share with the test.
struct LateScript {
  test::Event late_failed;
  std::atomic<bool> dependent_ran{false};
  std::atomic<bool> later_ran{false};
};
LateScript *late = nullptr;

/// Nodes 1 and 3: fails at node 3, after node 1 succeeded.
std::int32_t fails_late(Frame *frame) {
  frame->fail(3, "Late", std::make_exception_ptr(std::runtime_error("late")));
  late->late_failed.set();
  return 1;
}

/// Node 2: fails once node 3 has failed, so its failure comes second in
/// time but first in node order.
std::int32_t fails_early(Frame *frame) {
  late->late_failed.wait();
  frame->fail(2, "Early", std::make_exception_ptr(std::runtime_error("early")));
  return 1;
}

/// Node 4: depends on node 2.
std::int32_t dependent(Frame *) {
  late->dependent_ran = true;
  return 0;
}

/// Node 5: independent, but after both failing nodes.
std::int32_t later(Frame *) {
  late->later_ran = true;
  return 0;
}

const std::uint32_t late_root_successors[] = {1, 2, 4};
const std::uint32_t early_successors[] = {3};
const TaskEntry late_table[] = {{0, 3, late_root_successors},
                                {1, 0, nullptr},
                                {1, 1, early_successors},
                                {1, 0, nullptr},
                                {1, 0, nullptr}};
const TaskFunction late_tasks[] = {root, fails_late, fails_early, dependent,
                                   later};

std::int32_t run_late_task(Frame *frame, std::uint32_t t) {
  return late_tasks[t](frame);
}
const std::vector<std::uint32_t> late_task_of_node = {0, 1, 2, 1, 3, 4};

/// What a compiled entry does: every task in table order, returning at the
/// first failure.
std::int32_t late_entry(Frame *frame) {
  for (TaskFunction task : late_tasks)
    if (task(frame) != 0)
      return 1;
  return 0;
}

/// Runs late_table with \p workers and returns the frame's failure.
Failure run_late_table(unsigned workers, LateScript &shared) {
  late = &shared;
  Record input;
  Record output;
  FrameTables no_tables;
  Frame frame({0, 0}, input, no_tables, output);
  TaskPlan plan(late_entry, nothing, run_late_task, late_table,
                late_task_of_node, std::vector<TaskKind>(5, TaskKind::Blocking),
                false);
  Executor executor(2);
  EXPECT_NE(plan.run(frame, {.workers = workers,
                             .serial_below = std::chrono::nanoseconds(0),
                             .executor = &executor}),
            0);
  late = nullptr;
  EXPECT_TRUE(frame.failed());
  return frame.failure();
}

TEST(TaskPlanTest, ASerialRunReportsTheEarliestNodeThatFails) {
  LateScript shared;
  Failure failure = run_late_table(1, shared);
  EXPECT_EQ(failure.node, 2u);
  EXPECT_EQ(failure.what, "Early");
  EXPECT_FALSE(shared.dependent_ran);
  // Node 5 comes after the failed node 2: an eager call stops before it.
  EXPECT_FALSE(shared.later_ran);
}

TEST(TaskPlanTest, AParallelRunReportsTheEarliestNodeThatFails) {
  for (int i = 0; i < 100; ++i) {
    LateScript shared;
    Failure failure = run_late_table(3, shared);
    EXPECT_EQ(failure.node, 2u);
    EXPECT_EQ(failure.what, "Early");
    EXPECT_FALSE(shared.dependent_ran);
  }
}

} // namespace
} // namespace xcs::runtime
