//===- passes_test.cpp - Node removal passes, slots and the pipeline ------===//

#include "ir_test_util.h"

#include "IR/passes.h"
#include "IR/verifier.h"

namespace xcs::ir {
namespace {

using test::message;
using test::parse_text;

/// The text of \p text after \p pass; the result must verify.
std::string after(std::string_view text, void (*pass)(Function &)) {
  Module module = parse_text(text);
  EXPECT_EQ(message(verify(module)), "") << "before the pass";
  pass(module.function);
  EXPECT_EQ(message(verify(module)), "") << "after the pass";
  return print(module);
}

TEST(EliminateDeadNodesTest, RemovesUnusedPureNodesButNeverCalls) {
  std::string_view text = R"(
operator @f "F"
graph @g(x, z) -> (y) {
  %x = input x
  %z = input z                 ; used only by dead nodes
  %a = get %x a
  %l = list [%a, %z]           ; unused
  %c = call @f(v: %x)          ; unused, but a call
  %r = get %c out              ; unused
  %k = const 1
  %rec = record {k: %k}
  output y: %rec
}
)";
  EXPECT_EQ(after(text, eliminate_dead_nodes), R"(; xcs routing IR
operator @op0 "F"

graph @g(x, z) -> (y) {
  %0 = input x
  %1 = call @op0(v: %0)  ; F
  %2 = const 1
  %3 = record {k: %2}
  output y: %3
}
)");
}

TEST(EliminateDeadNodesTest, DropsTheScheduleAndSlots) {
  std::string_view text = R"(
graph @g(x) -> (y) {
  %0 = input x
  %1 = input x
  output y: %0
  schedule {
    task 0 join 0: %0, %1
  }
  slots 3 [0, 1, 2]
}
)";
  EXPECT_EQ(after(text, eliminate_dead_nodes), R"(; xcs routing IR

graph @g(x) -> (y) {
  %0 = input x
  output y: %0
}
)");
}

TEST(EliminateDeadNodesTest, KeepsEverythingLive) {
  std::string_view text = R"(; xcs routing IR

graph @g(x) -> (y) {
  %0 = input x
  %1 = get %0 a
  %2 = list [%1, %0]
  output y: %2
}
)";
  EXPECT_EQ(after(text, eliminate_dead_nodes), text);
}

TEST(MergeDuplicateGetsTest, MergesRepeatedInputsAndGetsTransitively) {
  std::string_view text = R"(
graph @g(x) -> (a, b, c) {
  %0 = input x
  %1 = input x
  %2 = get %0 p.q
  %3 = get %1 p.q              ; the same as %2 once %1 is %0
  %4 = get %3 [0]
  %5 = get %2 [0]              ; the same as %4 once %3 is %2
  %6 = get %0 p                ; another path
  %7 = get %0 "p.q"            ; one field named "p.q": another path
  %8 = list [%4, %5, %6, %7]
  output a: %8, b: %3, c: %5
}
)";
  EXPECT_EQ(after(text, merge_duplicate_gets), R"(; xcs routing IR

graph @g(x) -> (a, b, c) {
  %0 = input x
  %1 = get %0 p.q
  %2 = get %1 [0]
  %3 = get %0 p
  %4 = get %0 "p.q"
  %5 = list [%2, %2, %3, %4]
  output a: %5, b: %1, c: %2
}
)");
}

TEST(MergeDuplicateGetsTest, KeepsGetsOfDifferentValues) {
  std::string_view text = R"(; xcs routing IR
operator @op0 "F"

graph @g(x, y) -> (a) {
  %0 = input x
  %1 = input y
  %2 = call @op0(v: %0)  ; F
  %3 = call @op0(v: %0)  ; F
  %4 = get %2 out
  %5 = get %3 out
  %6 = get %0 out
  %7 = get %1 out
  %8 = list [%4, %5, %6, %7]
  output a: %8
}
)";
  EXPECT_EQ(after(text, merge_duplicate_gets), text);
}

TEST(AssignSlotsTest, GivesEachNodeItsOwnSlot) {
  std::string_view text = R"(
graph @g(x) -> (y) {
  %0 = input x
  %1 = get %0 a
  output y: %1
}
)";
  EXPECT_EQ(after(text, assign_slots), R"(; xcs routing IR

graph @g(x) -> (y) {
  %0 = input x
  %1 = get %0 a
  output y: %1
  slots 3 [0, 1, 2]
}
)");
}

TEST(PipelineTest, RunsEveryPassInOrder) {
  Module module = parse_text(R"(
operator @f "F"
graph @g(x) -> (y) {
  %0 = input x
  %1 = input x
  %2 = const "unused"
  %3 = call @f(v: %0)
  %4 = call @f(v: %1)
  %5 = get %3 out
  %6 = get %3 out
  %7 = list [%5, %6]
  output y: %7
}
)");
  run_default_pipeline(module);
  EXPECT_EQ(message(verify(module)), "");
  EXPECT_EQ(print(module), R"(; xcs routing IR
operator @op0 "F"

graph @g(x) -> (y) {
  %0 = input x
  %1 = call @op0(v: %0)  ; F
  %2 = get %1 out
  %3 = list [%2, %2]
  %4 = call @op0(v: %0)  ; F
  output y: %3
  schedule {
    task 0 join 0 -> 1, 2: %0
    task 1 join 1: %1, %2, %3
    task 2 join 1: %4
  }
  slots 6 [0, 1, 2, 3, 4, 5]
}
)");
}

TEST(RunPassTest, RunsPassesByName) {
  Module module = parse_text("graph @g(x) -> (y) { %0 = input x %1 = input x "
                             "output y: %1 }");
  for (std::string_view name : pass_names())
    EXPECT_EQ(message(run_pass(module, name)), "") << name;
  EXPECT_EQ(module.function.nodes.size(), 2u);
  EXPECT_EQ(module.function.slot_count, 2u);
}

TEST(RunPassTest, RejectsAnUnknownNameListingTheKnownOnes) {
  Module module = parse_text("graph @g() -> () { output }");
  EXPECT_EQ(message(run_pass(module, "frobnicate")),
            "unknown pass 'frobnicate' (known passes: eliminate-dead-nodes, "
            "merge-duplicate-gets, order-routing-early, schedule, "
            "assign-slots, default)");
}

} // namespace
} // namespace xcs::ir
