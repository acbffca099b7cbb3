//===- graph_print_test.cpp - DOT and text dumps of an XCSGraph -----------===//

#include "graph_test_util.h"

#include <gtest/gtest.h>

namespace xcs::graph_test {
namespace {

/// input -> Model -> Judge -> Router (opaque) -> output, with a constant on
/// the judge and two mappings on the last edge.
XCSGraph ensemble_judge() {
  XCSGraph graph("ensemble_judge");
  XCSNode model = operator_node("n2", echo("Model"));
  model.call_id = 2;
  XCSNode judge =
      operator_node("n5", echo("Judge"), {{path("style"), Value("short")}});
  judge.call_id = 5;
  XCSNode router = operator_node("n7", echo("Router"));
  router.opaque_reason = "glue reads the content of \"verdict\"";
  for (XCSNode *node : {&model, &judge, &router})
    graph.add_node(*node);
  graph.add_edge(edge("input", "n2", {mapping("query", "prompt")}));
  graph.add_edge(edge("n2", "n5", {mapping("all.text", "responses[0]")}));
  graph.add_edge(edge("input", "n5", {mapping("query", "question")}));
  graph.add_edge(edge("n5", "n7", {mapping("all", "verdict")}));
  graph.add_edge(
      edge("n7", "output",
           {mapping("all", "answer"), mapping("all.score", "score")}));
  return graph;
}

TEST(GraphPrintTest, Text) {
  EXPECT_EQ(ensemble_judge().to_text(),
            "graph ensemble_judge\n"
            "  node input [input]\n"
            "  node output [output]\n"
            "  node n2 [Model] call=2\n"
            "  node n5 [Judge] call=5 const style = \"short\"\n"
            "  node n7 [Router] opaque: glue reads the content of "
            "\"verdict\"\n"
            "  edge input -> n2: query -> prompt\n"
            "  edge n2 -> n5: all.text -> responses[0]\n"
            "  edge input -> n5: query -> question\n"
            "  edge n5 -> n7: all -> verdict\n"
            "  edge n7 -> output: all -> answer\n"
            "  edge n7 -> output: all.score -> score\n"
            "  output output\n");
}

TEST(GraphPrintTest, Dot) {
  EXPECT_EQ(ensemble_judge().to_dot(),
            R"(digraph "ensemble_judge" {
  "input" [label="input", shape=invhouse];
  "output" [label="output", shape=house, peripheries=2];
  "n2" [label="Model"];
  "n5" [label="Judge\nstyle = \"short\""];
  "n7" [label="Router", style=dashed, tooltip="opaque: glue reads the content of \"verdict\""];
  "input" -> "n2" [label="query -> prompt"];
  "n2" -> "n5" [label="all.text -> responses[0]"];
  "input" -> "n5" [label="query -> question"];
  "n5" -> "n7" [label="all -> verdict"];
  "n7" -> "output" [label="all -> answer\nall.score -> score"];
}
)");
}

TEST(GraphPrintTest, DotEscapesQuotesAndBackslashes) {
  XCSGraph graph(R"(say "hi" \o/)");
  graph.add_node(operator_node(R"(n"1)", echo(R"(Back\slash)")));
  graph.add_edge(edge(R"(n"1)", "output", {}));
  EXPECT_EQ(graph.to_dot(),
            R"(digraph "say \"hi\" \\o/" {
  "input" [label="input", shape=invhouse];
  "output" [label="output", shape=house, peripheries=2];
  "n\"1" [label="Back\\slash"];
  "n\"1" -> "output";
}
)");
}

TEST(GraphPrintTest, MarksTheDesignatedOutputNode) {
  XCSGraph graph("g");
  graph.add_node(output_node("result"));
  graph.set_output_node_id("result");
  std::string dot = graph.to_dot();
  EXPECT_NE(dot.find(R"("output" [label="output", shape=house];)"),
            std::string::npos)
      << dot;
  EXPECT_NE(
      dot.find(R"("result" [label="output", shape=house, peripheries=2];)"),
      std::string::npos)
      << dot;
  EXPECT_EQ(graph.to_text(), "graph g\n"
                             "  node input [input]\n"
                             "  node output [output]\n"
                             "  node result [output]\n"
                             "  output result\n");
}

} // namespace
} // namespace xcs::graph_test
