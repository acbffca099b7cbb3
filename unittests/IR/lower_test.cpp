//===- lower_test.cpp - From XCSGraph to the routing IR -------------------===//

#include "ir_test_util.h"
#include "test_graphs.h"

#include "IR/lower.h"
#include "IR/verifier.h"
#include "xcs/json.h"

#include <gmock/gmock.h>

namespace xcs::ir {
namespace {

using test::message;
using ::testing::HasSubstr;

/// The text of \p graph lowered; it must lower and verify.
std::string lowered_text(const XCSGraph &graph,
                         std::vector<OperatorPtr> &table) {
  llvm::Expected<Module> module = lower(graph, table);
  if (!module)
    return "error: " + llvm::toString(module.takeError());
  EXPECT_EQ(message(verify(*module)), "");
  return print(*module);
}

std::string lowering_error(const XCSGraph &graph) {
  std::vector<OperatorPtr> table;
  llvm::Expected<Module> module = lower(graph, table);
  return module ? std::string() : llvm::toString(module.takeError());
}

TEST(LowerTest, ChainReadsEachProducerWithGet) {
  std::vector<OperatorPtr> table;
  XCSGraph graph = test::chain_graph();
  EXPECT_EQ(lowered_text(graph, table), R"(; xcs routing IR
operator @op0 "affine" {"add":1,"in":"x","mul":2,"out":"y"}
operator @op1 "affine" {"add":0,"in":"x","mul":3,"out":"y"}

graph @chain(x) -> (result) {
  %0 = input x
  %1 = call @op0(x: %0)  ; affine
  %2 = get %1 y
  %3 = call @op1(x: %2)  ; affine
  %4 = get %3 y
  output result: %4
}
)");
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[0], graph.find_node("first")->op);
  EXPECT_EQ(table[1], graph.find_node("second")->op);
}

TEST(LowerTest, EnsembleBuildsTheResponsesList) {
  std::vector<OperatorPtr> table;
  EXPECT_EQ(lowered_text(test::ensemble_graph(), table), R"(; xcs routing IR
operator @op0 "model_call" {"fail_on":"","failure_rate":0.0,"latency_us":0,"name":"Member0","seed":0,"vocabulary":2}
operator @op1 "model_call" {"fail_on":"","failure_rate":0.0,"latency_us":0,"name":"Member1","seed":1,"vocabulary":2}
operator @op2 "model_call" {"fail_on":"","failure_rate":0.0,"latency_us":0,"name":"Member2","seed":2,"vocabulary":2}
operator @op3 "judge" {"name":"Judge"}

graph @ensemble_judge(query) -> (answer) {
  %0 = input query
  %1 = call async @op0(prompt: %0)  ; Member0
  %2 = input query
  %3 = call async @op1(prompt: %2)  ; Member1
  %4 = input query
  %5 = call async @op2(prompt: %4)  ; Member2
  %6 = input query
  %7 = get %1 response
  %8 = get %3 response
  %9 = get %5 response
  %10 = list [%7, %8, %9]
  %11 = call @op3(query: %6, responses: %10)  ; Judge
  %12 = get %11 answer
  output answer: %12
}
)");
}

TEST(LowerTest, TargetsFromPartsBecomeRecordsAndLists) {
  std::vector<OperatorPtr> table;
  EXPECT_EQ(lowered_text(test::configure_graph(), table), R"(; xcs routing IR
operator @op0 "Configure" unregistered

graph @configure(doc, x) -> (echo, result) {
  %0 = input doc
  %1 = get %0 n
  %2 = input x
  %3 = const 5
  %4 = const 100
  %5 = record {a: %1, b: %3}
  %6 = list [%4, %2]
  %7 = call @op0(cfg: %5, items: %6)  ; Configure
  %8 = get %7 out
  %9 = input doc
  %10 = record {doc: %9}
  output echo: %10, result: %8
}
)");
}

TEST(LowerTest, OneTableEntryPerOperatorInstance) {
  OperatorPtr affine = ops::affine(2, 0);
  XCSGraph graph("twice");
  graph.add_node(test::operator_node("a", affine));
  graph.add_node(test::operator_node("b", affine));
  graph.add_node(test::operator_node("c", affine));
  test::add_edge(graph, "input", "a", {test::mapping("x", "x")});
  test::add_edge(graph, "a", "b", {test::mapping("y", "x")});
  test::add_edge(graph, "b", "c", {test::mapping("y", "x")});
  test::add_edge(graph, "c", "output", {test::mapping("y", "y")});
  std::vector<OperatorPtr> table = {ops::affine(1, 1)};
  llvm::Expected<Module> module = lower(graph, table);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(table, std::vector<OperatorPtr>{affine});
  ASSERT_EQ(module->operators.size(), 1u);
  EXPECT_EQ(module->operators[0].name, "affine");
  EXPECT_EQ(to_json(module->operators[0].arguments),
            R"({"add":0,"in":"x","mul":2,"out":"y"})");
  int calls = 0;
  for (const Node &node : module->function.nodes)
    if (node.opcode == Opcode::Call) {
      ++calls;
      EXPECT_EQ(node.op, 0u);
    }
  EXPECT_EQ(calls, 3);
}

TEST(LowerTest, KeepsCallsWhoseResultsAreUnused) {
  XCSGraph graph("side");
  graph.add_node(test::operator_node("counted", ops::counter()));
  std::vector<OperatorPtr> table;
  EXPECT_EQ(lowered_text(graph, table), R"(; xcs routing IR
operator @op0 "counter" {"out":"count"}

graph @side() -> () {
  %0 = call @op0()  ; counter
  output
}
)");
}

TEST(LowerTest, SanitizesTheGraphName) {
  XCSGraph graph("my graph/v2.0");
  std::vector<OperatorPtr> table;
  llvm::Expected<Module> module = lower(graph, table);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(module->function.name, "my_graph_v2_0");
}

TEST(LowerTest, RejectsAGraphThatDoesNotValidate) {
  XCSGraph graph("cyclic");
  graph.add_node(test::operator_node("a", ops::affine(1, 0)));
  graph.add_node(test::operator_node("b", ops::affine(1, 0)));
  test::add_edge(graph, "a", "b", {test::mapping("y", "x")});
  test::add_edge(graph, "b", "a", {test::mapping("y", "x")});
  EXPECT_THAT(lowering_error(graph),
              AllOf(HasSubstr("graph 'cyclic'"), HasSubstr("cycle")));
}

TEST(LowerTest, RejectsAMissingOutputNode) {
  XCSGraph graph("lost");
  graph.set_output_node_id("nowhere");
  EXPECT_THAT(lowering_error(graph),
              AllOf(HasSubstr("graph 'lost'"), HasSubstr("'nowhere'")));
}

TEST(LowerTest, RejectsAnInputReadThatStartsWithAnIndex) {
  XCSGraph graph("indexed");
  graph.add_node(test::operator_node("a", ops::affine(1, 0)));
  test::add_edge(graph, "input", "a",
                 {FieldMapping{Path().index(0), Path::parse("x")}});
  EXPECT_EQ(lowering_error(graph),
            "graph 'indexed': node 'a': the read of the graph input '[0]' "
            "must start with a field name");
}

} // namespace
} // namespace xcs::ir
