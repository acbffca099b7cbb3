//===- graph_test.cpp - Building, validating and ordering an XCSGraph -----===//

#include "graph_test_util.h"

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace xcs::graph_test {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::ThrowsMessage;

template <typename... Parts> auto graph_error(Parts... parts) {
  return ThrowsMessage<GraphError>(AllOf(HasSubstr(parts)...));
}

// --- Construction ---------------------------------------------------------

TEST(GraphTest, StartsWithInputAndOutputNodes) {
  XCSGraph graph("g");
  EXPECT_EQ(graph.name(), "g");
  ASSERT_EQ(graph.nodes().size(), 2u);
  EXPECT_EQ(graph.input_node().id, "input");
  EXPECT_EQ(graph.input_node().kind, NodeKind::Input);
  EXPECT_EQ(graph.output_node_id(), "output");
  EXPECT_EQ(graph.output_node().kind, NodeKind::Output);
  EXPECT_EQ(graph.input_node().label(), "input");
  EXPECT_EQ(graph.output_node().label(), "output");
  EXPECT_TRUE(graph.edges().empty());
  EXPECT_TRUE(graph.operator_nodes().empty());
  EXPECT_NO_THROW(graph.validate());
}

TEST(GraphTest, AddNodeKeepsInsertionOrder) {
  XCSGraph graph("g");
  auto op = affine(1, 0);
  graph.add_node(operator_node("b", op));
  graph.add_node(operator_node("a", echo("Named")));
  ASSERT_EQ(graph.operator_nodes().size(), 2u);
  EXPECT_EQ(graph.operator_nodes()[0]->id, "b");
  EXPECT_EQ(graph.operator_nodes()[1]->id, "a");
  ASSERT_NE(graph.find_node("b"), nullptr);
  EXPECT_EQ(graph.find_node("b")->op, op);
  EXPECT_EQ(graph.find_node("a")->label(), "Named");
  EXPECT_EQ(graph.find_node("missing"), nullptr);
}

TEST(GraphTest, AddNodeRejectsAnEmptyId) {
  XCSGraph graph("g");
  EXPECT_THAT([&] { graph.add_node(operator_node("", echo())); },
              graph_error("graph 'g'", "empty"));
}

TEST(GraphTest, AddNodeRejectsADuplicateId) {
  XCSGraph graph("g");
  graph.add_node(operator_node("n1", echo()));
  EXPECT_THAT([&] { graph.add_node(operator_node("n1", echo())); },
              graph_error("graph 'g'", "'n1'", "duplicate"));
  EXPECT_THAT([&] { graph.add_node(operator_node("output", echo())); },
              graph_error("graph 'g'", "'output'", "duplicate"));
  EXPECT_EQ(graph.nodes().size(), 3u);
}

TEST(GraphTest, AddNodeRejectsAnOperatorNodeWithoutOperator) {
  XCSGraph graph("g");
  EXPECT_THAT([&] { graph.add_node(operator_node("n1", nullptr)); },
              graph_error("graph 'g'", "'n1'", "no operator"));
}

TEST(GraphTest, AddNodeRejectsASecondInputNode) {
  XCSGraph graph("g");
  XCSNode node;
  node.id = "in2";
  node.kind = NodeKind::Input;
  EXPECT_THAT([&] { graph.add_node(node); },
              graph_error("graph 'g'", "'in2'", "input node"));
}

TEST(GraphTest, AddNodeRejectsAnOutputNodeWithAnOperator) {
  XCSGraph graph("g");
  XCSNode node = output_node("out2");
  node.op = echo("Stray");
  EXPECT_THAT([&] { graph.add_node(node); },
              graph_error("graph 'g'", "'out2'", "'Stray'"));
}

TEST(GraphTest, AddNodeRejectsConflictingConstants) {
  XCSGraph graph("g");
  EXPECT_THAT(
      [&] {
        graph.add_node(operator_node(
            "n1", echo(), {{path("x"), Value(1)}, {path("x"), Value(2)}}));
      },
      graph_error("graph 'g'", "'n1'", "'x'", "twice"));
  EXPECT_THAT(
      [&] {
        graph.add_node(operator_node("n2", echo(), {{Path(), Value(1)}}));
      },
      graph_error("graph 'g'", "'n2'", "empty"));
  EXPECT_THAT(
      [&] {
        graph.add_node(
            operator_node("n3", echo(), {{Path().index(0), Value(1)}}));
      },
      graph_error("graph 'g'", "'n3'", "'[0]'", "field name"));
  EXPECT_EQ(graph.nodes().size(), 2u);
}

TEST(AddConstantTest, AddsToTheOutputNode) {
  XCSGraph graph("g");
  graph.add_constant("output", {path("version"), Value(2)});
  ASSERT_EQ(graph.output_node().constants.size(), 1u);
  EXPECT_EQ(graph.output_node().constants[0].target, path("version"));
  EXPECT_EQ(graph.output_node().constants[0].value, Value(2));
}

TEST(AddConstantTest, RejectsAnUnknownNode) {
  XCSGraph graph("g");
  EXPECT_THAT(
      [&] {
        graph.add_constant("ghost", {path("x"), Value(1)});
      },
      graph_error("graph 'g'", "node 'ghost'"));
}

TEST(AddConstantTest, RejectsTheInputNode) {
  XCSGraph graph("g");
  EXPECT_THAT(
      [&] {
        graph.add_constant("input", {path("x"), Value(1)});
      },
      graph_error("graph 'g'", "node 'input'", "input node"));
}

TEST(AddConstantTest, RejectsATargetAnEdgeWrites) {
  XCSGraph graph("g");
  graph.add_edge(edge("input", "output", {mapping("x", "x")}));
  EXPECT_THAT(
      [&] {
        graph.add_constant("output", {path("x"), Value(1)});
      },
      graph_error("graph 'g'", "node 'output'", "'x'", "twice"));
  EXPECT_TRUE(graph.output_node().constants.empty());
}

// --- Edges ----------------------------------------------------------------

class EdgeTest : public ::testing::Test {
protected:
  EdgeTest() { add_echo_nodes(graph_, {"a", "b"}); }
  void add(const char *from, const char *to,
           std::vector<FieldMapping> mappings) {
    graph_.add_edge(edge(from, to, std::move(mappings)));
  }
  XCSGraph graph_{"g"};
};

TEST_F(EdgeTest, RejectsAnUnknownConsumer) {
  EXPECT_THAT([&] { add("a", "ghost", {mapping("all", "x")}); },
              graph_error("graph 'g'", "'a' -> 'ghost'", "no node 'ghost'"));
}

TEST_F(EdgeTest, RejectsAnUnknownProducer) {
  EXPECT_THAT([&] { add("ghost", "a", {mapping("all", "x")}); },
              graph_error("graph 'g'", "'ghost' -> 'a'", "no node 'ghost'"));
}

TEST_F(EdgeTest, RejectsASelfLoop) {
  EXPECT_THAT([&] { add("a", "a", {mapping("all", "x")}); },
              graph_error("graph 'g'", "'a' -> 'a'", "itself"));
}

TEST_F(EdgeTest, RejectsAnEdgeIntoTheInputNode) {
  EXPECT_THAT([&] { add("a", "input", {mapping("all", "x")}); },
              graph_error("graph 'g'", "'a' -> 'input'", "input node"));
}

TEST_F(EdgeTest, RejectsAnEdgeOutOfAnOutputNode) {
  EXPECT_THAT([&] { add("output", "a", {mapping("x", "x")}); },
              graph_error("graph 'g'", "'output' -> 'a'", "output node"));
}

TEST_F(EdgeTest, RejectsAnEmptySourcePath) {
  EXPECT_THAT(
      [&] {
        add("a", "b", {FieldMapping{Path(), path("x")}});
      },
      graph_error("graph 'g'", "'a' -> 'b'", "'x'", "empty source"));
}

TEST_F(EdgeTest, RejectsAnEmptyTargetPath) {
  EXPECT_THAT(
      [&] {
        add("a", "b", {FieldMapping{path("all"), Path()}});
      },
      graph_error("graph 'g'", "'a' -> 'b'", "empty"));
}

TEST_F(EdgeTest, RejectsATargetStartingWithAnIndex) {
  EXPECT_THAT(
      [&] {
        add("a", "b",
            {FieldMapping{path("all"), Path().index(2).field(FieldId("x"))}});
      },
      graph_error("graph 'g'", "'a' -> 'b'", "'[2].x'", "field name"));
}

TEST_F(EdgeTest, RejectsADuplicateTargetWithinOneEdge) {
  EXPECT_THAT(
      [&] {
        add("a", "b", {mapping("all", "x"), mapping("all", "x")});
      },
      graph_error("graph 'g'", "'a' -> 'b'", "'x'", "twice"));
  EXPECT_TRUE(graph_.edges().empty());
}

TEST_F(EdgeTest, RejectsADuplicateTargetAcrossEdges) {
  add("input", "b", {mapping("q", "x")});
  EXPECT_THAT([&] { add("a", "b", {mapping("all", "x")}); },
              graph_error("graph 'g'", "'a' -> 'b'", "'x'", "twice"));
  EXPECT_EQ(graph_.edges().size(), 1u);
}

TEST_F(EdgeTest, RejectsATargetAlsoWrittenByAConstant) {
  graph_.add_node(operator_node("c", echo(), {{path("cfg.mode"), Value("x")}}));
  EXPECT_THAT([&] { add("a", "c", {mapping("all", "cfg.mode")}); },
              graph_error("graph 'g'", "'a' -> 'c'", "'cfg.mode'", "twice"));
}

TEST_F(EdgeTest, RejectsAWholeTargetThatAlsoHasParts) {
  add("input", "b", {mapping("q", "responses[0]")});
  EXPECT_THAT([&] { add("a", "b", {mapping("all", "responses")}); },
              graph_error("graph 'g'", "'a' -> 'b'", "'responses'",
                          "'responses[0]'", "whole and in parts"));
}

TEST_F(EdgeTest, RejectsATargetBuiltAsBothListAndRecord) {
  add("input", "b", {mapping("q", "cfg.a")});
  EXPECT_THAT(
      [&] { add("a", "b", {mapping("all", "cfg[0]")}); },
      graph_error("graph 'g'", "'a' -> 'b'", "'cfg'", "list", "record"));
}

TEST_F(EdgeTest, MergesMappingsBetweenTheSameNodes) {
  add("a", "b", {mapping("all", "x")});
  add("input", "b", {mapping("q", "z")});
  add("a", "b", {mapping("all.k", "y")});
  ASSERT_EQ(graph_.edges().size(), 2u);
  const XCSEdge &merged = graph_.edges()[0];
  EXPECT_EQ(merged.from, "a");
  EXPECT_EQ(merged.to, "b");
  EXPECT_THAT(merged.mappings,
              ElementsAre(mapping("all", "x"), mapping("all.k", "y")));
  auto into = graph_.edges_into("b");
  ASSERT_EQ(into.size(), 2u);
  EXPECT_EQ(into[0]->from, "a");
  EXPECT_EQ(into[1]->from, "input");
  EXPECT_TRUE(graph_.edges_into("a").empty());
}

TEST_F(EdgeTest, AcceptsAnEdgeWithoutMappings) {
  add("a", "b", {});
  EXPECT_EQ(graph_.edges().size(), 1u);
  EXPECT_THAT(graph_.topological_order(),
              ElementsAre("input", "a", "b", "output"));
}

// --- Topological order ----------------------------------------------------

/// \p ids in \p order are producers before consumers for every edge.
void expect_respects_edges(const XCSGraph &graph,
                           const std::vector<std::string> &order) {
  auto position = [&](const std::string &id) {
    return std::find(order.begin(), order.end(), id) - order.begin();
  };
  ASSERT_EQ(order.size(), graph.nodes().size());
  for (const XCSEdge &e : graph.edges())
    EXPECT_LT(position(e.from), position(e.to)) << e.from << " -> " << e.to;
}

TEST(TopologicalOrderTest, Diamond) {
  XCSGraph graph("diamond");
  add_echo_nodes(graph, {"left", "right", "join"});
  graph.add_edge(edge("right", "join", {mapping("all", "r")}));
  graph.add_edge(edge("left", "join", {mapping("all", "l")}));
  graph.add_edge(edge("input", "right", {mapping("x", "x")}));
  graph.add_edge(edge("input", "left", {mapping("x", "x")}));
  graph.add_edge(edge("join", "output", {mapping("all", "result")}));
  EXPECT_THAT(graph.topological_order(),
              ElementsAre("input", "left", "right", "join", "output"));
}

TEST(TopologicalOrderTest, TiesKeepInsertionOrder) {
  XCSGraph graph("g");
  add_echo_nodes(graph, {"c", "a", "b"});
  for (const char *id : {"b", "a", "c"})
    graph.add_edge(edge("input", id, {mapping("x", "x")}));
  // Except the output node, which goes last though nothing feeds it.
  EXPECT_THAT(graph.topological_order(),
              ElementsAre("input", "c", "a", "b", "output"));
}

TEST(TopologicalOrderTest, ConsumerInsertedBeforeItsProducer) {
  XCSGraph graph("g");
  add_echo_nodes(graph, {"consumer", "producer"});
  graph.add_edge(edge("producer", "consumer", {mapping("all", "x")}));
  graph.add_edge(edge("consumer", "output", {mapping("all", "r")}));
  EXPECT_THAT(graph.topological_order(),
              ElementsAre("input", "producer", "consumer", "output"));
}

TEST(TopologicalOrderTest, LayeredGraph) {
  // Three layers of three; each node reads every node of the layer above.
  // Nodes are inserted deepest layer first.
  XCSGraph graph("layers");
  add_echo_nodes(
      graph, {"l3a", "l3b", "l3c", "l2a", "l2b", "l2c", "l1a", "l1b", "l1c"});
  const std::vector<std::vector<std::string>> layers{{"input"},
                                                     {"l1a", "l1b", "l1c"},
                                                     {"l2a", "l2b", "l2c"},
                                                     {"l3a", "l3b", "l3c"},
                                                     {"output"}};
  for (std::size_t layer = 1; layer < layers.size(); ++layer)
    for (const std::string &to : layers[layer])
      for (const std::string &from : layers[layer - 1])
        graph.add_edge(
            edge(from, to,
                 {FieldMapping{path("all"), path(("from_" + from).c_str())}}));
  std::vector<std::string> order = graph.topological_order();
  expect_respects_edges(graph, order);
  EXPECT_THAT(order, ElementsAre("input", "l1a", "l1b", "l1c", "l2a", "l2b",
                                 "l2c", "l3a", "l3b", "l3c", "output"));
}

TEST(TopologicalOrderTest, ReportsTheNodesOfACycle) {
  // "after" hangs off the cycle and is inserted first: it is left over by
  // Kahn's algorithm too but is not part of the cycle.
  XCSGraph graph("loopy");
  add_echo_nodes(graph, {"after", "a", "b", "c"});
  graph.add_edge(edge("input", "a", {mapping("x", "x")}));
  graph.add_edge(edge("a", "b", {mapping("all", "x")}));
  graph.add_edge(edge("b", "c", {mapping("all", "x")}));
  graph.add_edge(edge("c", "a", {mapping("all", "y")}));
  graph.add_edge(edge("c", "after", {mapping("all", "x")}));
  EXPECT_THAT([&] { graph.topological_order(); },
              ThrowsMessage<GraphError>(AllOf(
                  HasSubstr("graph 'loopy'"), HasSubstr("a -> b -> c -> a"),
                  Not(HasSubstr("after")), Not(HasSubstr("input")))));
  EXPECT_THAT([&] { graph.validate(); },
              graph_error("graph 'loopy'", "a -> b -> c -> a"));
}

TEST(TopologicalOrderTest, ReportsATwoNodeCycle) {
  XCSGraph graph("g");
  add_echo_nodes(graph, {"p", "q"});
  graph.add_edge(edge("q", "p", {mapping("all", "x")}));
  graph.add_edge(edge("p", "q", {mapping("all", "x")}));
  EXPECT_THAT([&] { graph.topological_order(); },
              graph_error("graph 'g'", "p -> q -> p"));
}

// --- Validation -----------------------------------------------------------

TEST(ValidateTest, AcceptsAWellFormedGraph) {
  XCSGraph graph("g");
  add_echo_nodes(graph, {"a"});
  graph.add_edge(
      edge("input", "a", {mapping("x", "parts[1]"), mapping("y", "parts[0]")}));
  graph.add_edge(edge("a", "output", {mapping("all", "result")}));
  EXPECT_NO_THROW(graph.validate());
}

TEST(ValidateTest, RejectsAMissingOutputNode) {
  XCSGraph graph("g");
  graph.set_output_node_id("nowhere");
  EXPECT_THAT([&] { graph.validate(); },
              graph_error("graph 'g'", "'nowhere'", "does not exist"));
  EXPECT_THAT([&] { graph.output_node(); },
              graph_error("graph 'g'", "'nowhere'", "does not exist"));
}

TEST(ValidateTest, RejectsAnOutputIdNamingAnOperatorNode) {
  XCSGraph graph("g");
  add_echo_nodes(graph, {"a"});
  graph.set_output_node_id("a");
  EXPECT_THAT([&] { graph.validate(); },
              graph_error("graph 'g'", "'a'", "not an Output node"));
}

TEST(ValidateTest, AcceptsAnotherOutputNodeAsTheResult) {
  XCSGraph graph("g");
  graph.add_node(output_node("result"));
  graph.set_output_node_id("result");
  EXPECT_EQ(graph.output_node().id, "result");
  EXPECT_NO_THROW(graph.validate());
}

TEST(ValidateTest, RejectsAListWithAGap) {
  XCSGraph graph("g");
  add_echo_nodes(graph, {"judge"});
  graph.add_edge(
      edge("input", "judge",
           {mapping("a", "responses[0]"), mapping("c", "responses[2]")}));
  EXPECT_THAT([&] { graph.validate(); },
              graph_error("graph 'g'", "node 'judge'", "'responses'", "[1]"));
}

TEST(ValidateTest, RejectsANestedListMissingItsFirstElement) {
  XCSGraph graph("g");
  graph.add_node(operator_node("n", echo(), {{path("cfg.items[1]"), 1}}));
  EXPECT_THAT([&] { graph.validate(); },
              graph_error("graph 'g'", "node 'n'", "'cfg.items'", "[0]"));
}

TEST(ValidateTest, ChecksTheOutputNodesTargets) {
  XCSGraph graph("g");
  graph.add_edge(edge("input", "output", {mapping("x", "all[1]")}));
  EXPECT_THAT([&] { graph.validate(); },
              graph_error("graph 'g'", "node 'output'", "'all'", "[0]"));
}

} // namespace
} // namespace xcs::graph_test
