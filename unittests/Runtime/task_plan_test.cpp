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
const TaskEntry table[] = {{root, 0, 2, root_successors},
                           {task_a, 1, 1, after_only},
                           {task_b, 1, 1, after_only},
                           {after, 2, 0, nullptr}};

TEST(TaskPlanTest, AFailureLetsRunningSiblingsFinishAndStartsNothingMore) {
  Script shared;
  script = &shared;
  Record input;
  Frame frame({0, 0}, input, {});
  TaskPlan plan(serial_entry, nothing, table);
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

} // namespace
} // namespace xcs::runtime
