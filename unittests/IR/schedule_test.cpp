//===- schedule_test.cpp - The task DAG of typical graph shapes -----------===//

#include "ir_test_util.h"

#include "IR/interpreter.h"
#include "IR/passes.h"
#include "IR/verifier.h"

#include "xcs/ops.h"

#include <random>

namespace xcs::ir {
namespace {

using test::message;
using test::parse_text;

/// The schedule section schedule() gives \p text, which must verify after.
std::string schedule_of(std::string_view text) {
  Module module = parse_text(text);
  schedule(module.function);
  EXPECT_EQ(message(verify(module)), "");
  std::string printed = print(module);
  std::size_t begin = printed.find("  schedule {\n");
  std::size_t end = printed.find("  }\n", begin);
  if (begin == std::string::npos || end == std::string::npos)
    return "no schedule in:\n" + printed;
  begin += std::string_view("  schedule {\n").size();
  return printed.substr(begin, end - begin);
}

TEST(ScheduleTest, DiamondForksAndJoins) {
  EXPECT_EQ(schedule_of(R"(
operator @a "A"
operator @b "B"
operator @c "C"
operator @d "D"
graph @diamond(x) -> (y) {
  %0 = input x
  %1 = call @a(x: %0)
  %2 = get %1 y
  %3 = call @b(x: %2)
  %4 = get %3 y
  %5 = call @c(x: %2)
  %6 = get %5 y
  %7 = call @d(a: %4, b: %6)
  %8 = get %7 sum
  output y: %8
}
)"),
            "    task 0 join 0 -> 1, 2: %0, %1, %2\n"
            "    task 1 join 1 -> 3: %3, %4\n"
            "    task 2 join 1 -> 3: %5, %6\n"
            "    task 3 join 2: %7, %8\n");
}

TEST(ScheduleTest, EnsembleMembersRunConcurrentlyThenTheJudge) {
  EXPECT_EQ(schedule_of(R"(
operator @m0 "Member0"
operator @m1 "Member1"
operator @m2 "Member2"
operator @j "Judge"
graph @ensemble(query) -> (answer) {
  %0 = input query
  %1 = call @m0(prompt: %0)
  %2 = get %1 response
  %3 = call @m1(prompt: %0)
  %4 = get %3 response
  %5 = call @m2(prompt: %0)
  %6 = get %5 response
  %7 = list [%2, %4, %6]
  %8 = call @j(query: %0, responses: %7)
  %9 = get %8 answer
  output answer: %9
}
)"),
            "    task 0 join 0 -> 1, 2, 3: %0\n"
            "    task 1 join 1 -> 4: %1, %2\n"
            "    task 2 join 1 -> 4: %3, %4\n"
            "    task 3 join 1 -> 4: %5, %6\n"
            "    task 4 join 3: %7, %8, %9\n");
}

TEST(ScheduleTest, ChainFusesIntoOneTask) {
  EXPECT_EQ(schedule_of(R"(
operator @f "F"
graph @chain(x) -> (y) {
  %0 = input x
  %1 = call @f(x: %0)
  %2 = get %1 y
  %3 = call @f(x: %2)
  %4 = get %3 y
  %5 = call @f(x: %4)
  %6 = get %5 y
  %7 = call @f(x: %6)
  %8 = get %7 y
  output y: %8
}
)"),
            "    task 0 join 0: %0, %1, %2, %3, %4, %5, %6, %7, %8\n");
}

TEST(ScheduleTest, LayersJoinByCountersNotWaves) {
  EXPECT_EQ(schedule_of(R"(
operator @f "F"
operator @g "G"
graph @layered(x) -> (y) {
  %0 = input x
  %1 = call @f(x: %0)
  %2 = call @f(x: %0)
  %3 = get %1 y
  %4 = get %2 y
  %5 = call @g(a: %3, b: %4)
  %6 = call @g(a: %4, b: %3)
  %7 = get %5 sum
  %8 = get %6 sum
  %9 = call @g(a: %7, b: %8)
  %10 = get %9 sum
  output y: %10
}
)"),
            "    task 0 join 0 -> 1, 2: %0\n"
            "    task 1 join 1 -> 3, 4: %1, %3\n"
            "    task 2 join 1 -> 3, 4: %2, %4\n"
            "    task 3 join 2 -> 5: %5, %7\n"
            "    task 4 join 2 -> 5: %6, %8\n"
            "    task 5 join 2: %9, %10\n");
}

TEST(ScheduleTest, IndependentChainsFuseSeparately) {
  EXPECT_EQ(schedule_of(R"(
operator @f "F"
graph @two_chains(x) -> (a, b) {
  %0 = input x
  %1 = call @f(x: %0)
  %2 = get %1 y
  %3 = call @f(x: %2)
  %4 = get %3 y
  %5 = call @f(x: %0)
  %6 = get %5 y
  %7 = call @f(x: %6)
  %8 = get %7 y
  output a: %4, b: %8
}
)"),
            "    task 0 join 0 -> 1, 2: %0\n"
            "    task 1 join 1: %1, %2, %3, %4\n"
            "    task 2 join 1: %5, %6, %7, %8\n");
}

TEST(ScheduleTest, ChainsDoNotFuseAcrossACallBetweenThem) {
  // The eager call made A, then Fail, then B on A's output. Fusing B into
  // A's task would make a serial run call B before Fail, and call it even
  // when Fail throws, which the eager call never does.
  EXPECT_EQ(schedule_of(R"(
operator @a "A"
operator @fail "Fail"
operator @b "B"
graph @a_fail_b(x) -> (y) {
  %0 = input x
  %1 = call @a(x: %0)
  %2 = get %1 y
  %3 = call @fail(x: %0)
  %4 = call @b(x: %2)
  %5 = get %4 y
  output y: %5
}
)"),
            "    task 0 join 0 -> 1, 2: %0\n"
            "    task 1 join 1 -> 3: %1, %2\n"
            "    task 2 join 1: %3\n"
            "    task 3 join 1: %4, %5\n");
}

TEST(ScheduleTest, LateConstantsJoinTheRootTask) {
  EXPECT_EQ(schedule_of(R"(
operator @f "F"
graph @g(x) -> (y) {
  %0 = input x
  %1 = call @f(x: %0)
  %2 = get %1 y
  %3 = const 2
  %4 = list [%2, %3]
  output y: %4
}
)"),
            "    task 0 join 0: %0, %1, %2, %3, %4\n");
}

TEST(ScheduleTest, CallsWithoutOperandsAreRootTasks) {
  EXPECT_EQ(schedule_of(R"(
operator @counter "Counter"
graph @g() -> (a, b) {
  %0 = call @counter()
  %1 = call @counter()
  output a: %0, b: %1
}
)"),
            "    task 0 join 0: %0\n"
            "    task 1 join 0: %1\n");
}

TEST(ScheduleTest, PureFunctionsAreOneTask) {
  EXPECT_EQ(schedule_of(R"(
graph @g(x) -> (y) {
  %0 = input x
  %1 = const 1
  %2 = list [%0, %1]
  output y: %2
}
)"),
            "    task 0 join 0: %0, %1, %2\n");
}

TEST(ScheduleTest, AnOutputAloneNeedsNoTask) {
  Module module = parse_text("graph @g() -> () { output }");
  schedule(module.function);
  EXPECT_TRUE(module.function.tasks.empty());
  EXPECT_EQ(message(verify(module)), "");
}

TEST(ScheduleTest, ReschedulingReplacesTheSchedule) {
  Module module = parse_text(R"(
graph @g(x) -> (y) {
  %0 = input x
  output y: %0
  schedule {
    task 0 join 0 -> 1:
    task 1 join 1: %0
  }
}
)");
  schedule(module.function);
  ASSERT_EQ(module.function.tasks.size(), 1u);
  EXPECT_EQ(module.function.tasks[0].nodes, std::vector<NodeIndex>{0});
}

/// A random verified function over one operator that returns {out: a
/// text of its inputs}: inputs, constants, calls, gets of call results and
/// of records, lists and records, each reading random earlier nodes.
Module random_module(unsigned seed) {
  std::mt19937 random(seed);
  auto pick = [&](std::size_t n) {
    return static_cast<NodeIndex>(
        std::uniform_int_distribution<std::size_t>(0, n - 1)(random));
  };
  Module module;
  module.operators.push_back(OperatorRef{"Mix", Value()});
  Function &f = module.function;
  f.name = "random" + std::to_string(seed);
  f.inputs = {FieldId("x"), FieldId("y")};
  std::vector<Node> &nodes = f.nodes;
  auto add = [&](Node node) { nodes.push_back(std::move(node)); };
  Node input;
  input.opcode = Opcode::Input;
  input.field = FieldId("x");
  add(input);
  std::size_t count = 8 + seed % 24;
  while (nodes.size() < count) {
    Node node;
    std::size_t n = nodes.size();
    switch (pick(6)) {
    case 0:
      node.opcode = Opcode::Input;
      node.field = f.inputs[pick(2)];
      break;
    case 1:
      node.opcode = Opcode::Const;
      node.value = Value(static_cast<int>(n));
      break;
    case 2:
    case 3:
      node.opcode = Opcode::Call;
      node.fields = {FieldId("a"), FieldId("b")};
      node.operands = {pick(n), pick(n)};
      break;
    case 4:
      node.opcode = Opcode::List;
      node.operands = {pick(n), pick(n), pick(n)};
      break;
    case 5:
      node.opcode = Opcode::Record;
      node.fields = {FieldId("r")};
      node.operands = {pick(n)};
      break;
    }
    add(node);
    Opcode added = nodes.back().opcode;
    if ((added == Opcode::Call || added == Opcode::Record) && pick(2) == 0) {
      Node get;
      get.opcode = Opcode::Get;
      get.operands = {static_cast<NodeIndex>(n)};
      get.path = Path().field(FieldId(added == Opcode::Call ? "out" : "r"));
      add(get);
    }
  }
  Node output;
  output.opcode = Opcode::Output;
  for (int i = 0; i < 3; ++i) {
    output.fields.push_back(FieldId("o" + std::to_string(i)));
    output.operands.push_back(pick(nodes.size()));
  }
  f.outputs = output.fields;
  add(output);
  return module;
}

/// Node \p a depends on node \p b (directly or not).
bool depends_on(const Function &f, NodeIndex a, NodeIndex b) {
  for (NodeIndex operand : f.nodes[a].operands)
    if (operand == b || depends_on(f, operand, b))
      return true;
  return false;
}

/// Calls that do not depend on each other are in different tasks, so they
/// may run concurrently.
void expect_independent_calls_apart(const Function &f) {
  std::vector<std::uint32_t> task_of(f.nodes.size());
  for (std::uint32_t t = 0; t < f.tasks.size(); ++t)
    for (NodeIndex node : f.tasks[t].nodes)
      task_of[node] = t;
  for (NodeIndex a = 0; a < f.nodes.size(); ++a) {
    for (NodeIndex b = 0; b < a; ++b) {
      bool independent = f.nodes[a].opcode == Opcode::Call &&
                         f.nodes[b].opcode == Opcode::Call &&
                         !depends_on(f, a, b);
      if (independent) {
        EXPECT_NE(task_of[a], task_of[b])
            << value_name(b) << " and " << value_name(a) << " share a task";
      }
    }
  }
}

TEST(ScheduleRandomTest, PipelineKeepsResultsAndSeparatesIndependentCalls) {
  std::vector<OperatorPtr> table = {ops::function(
      "Mix", Specification().open_inputs().output("out"), [](const Record &in) {
        return Record{{"out", in.to_string()}};
      })};
  Record input{{"x", 1}, {"y", "why"}};
  for (unsigned seed = 0; seed < 200; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    Module module = random_module(seed);
    ASSERT_EQ(message(verify(module)), "");
    Record expected = interpret(module, table, input);
    run_default_pipeline(module);
    std::string printed = print(module);
    ASSERT_EQ(message(verify(module)), "") << printed;
    EXPECT_EQ(interpret(module, table, input), expected);
    EXPECT_EQ(test::reprint(printed), printed);
    expect_independent_calls_apart(module.function);
  }
}

} // namespace
} // namespace xcs::ir
