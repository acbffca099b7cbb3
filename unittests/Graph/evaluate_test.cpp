//===- evaluate_test.cpp - assemble_inputs and evaluate -------------------===//

#include "graph_test_util.h"

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

namespace xcs::graph_test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StrEq;
using ::testing::ThrowsMessage;

/// Producer outputs by node id, standing in for a running evaluation.
class Outputs {
public:
  Outputs &set(const std::string &id, Record record) {
    records_[id] = std::move(record);
    return *this;
  }
  const Record &operator()(const std::string &id) const {
    return records_.at(id);
  }

private:
  std::map<std::string, Record> records_;
};

Record assemble(const XCSGraph &graph, const std::string &id,
                const Outputs &outputs) {
  return assemble_inputs(graph, *graph.find_node(id), std::cref(outputs));
}

// --- assemble_inputs ------------------------------------------------------

TEST(AssembleInputsTest, BuildsAListFromThreeParts) {
  XCSGraph graph("g");
  add_echo_nodes(graph, {"p0", "p1", "p2", "judge"});
  // Inserted out of index order: the list comes out in index order anyway.
  graph.add_edge(edge("p2", "judge", {mapping("text", "responses[2]")}));
  graph.add_edge(edge("p0", "judge", {mapping("text", "responses[0]")}));
  graph.add_edge(edge("input", "judge", {mapping("query", "question")}));
  graph.add_edge(edge("p1", "judge", {mapping("text", "responses[1]")}));
  Outputs outputs;
  outputs.set("input", {{"query", "q?"}})
      .set("p0", {{"text", "r0"}})
      .set("p1", {{"text", "r1"}})
      .set("p2", {{"text", "r2"}});
  EXPECT_EQ(assemble(graph, "judge", outputs),
            (Record{{"question", "q?"},
                    {"responses", Value::list({"r0", "r1", "r2"})}}));
}

TEST(AssembleInputsTest, BuildsNestedRecordsWithConstants) {
  XCSGraph graph("g");
  graph.add_node(operator_node("n", echo(), {{path("cfg.c"), Value(3)}}));
  graph.add_edge(
      edge("input", "n", {mapping("x", "cfg.a"), mapping("y", "cfg.b")}));
  Outputs outputs;
  outputs.set("input", {{"x", 1}, {"y", 2}});
  EXPECT_EQ(assemble(graph, "n", outputs),
            (Record{{"cfg", Value::record({{"a", 1}, {"b", 2}, {"c", 3}})}}));
}

TEST(AssembleInputsTest, BuildsListsOfListsAndRecordsInLists) {
  XCSGraph graph("g");
  graph.add_node(operator_node(
      "n", echo(),
      {{path("m[1][0]"), Value("c")}, {path("rows[0].k"), Value(7)}}));
  graph.add_edge(
      edge("input", "n", {mapping("a", "m[0][0]"), mapping("b", "m[0][1]")}));
  Outputs outputs;
  outputs.set("input", {{"a", "a"}, {"b", "b"}});
  Record expected{
      {"m", Value::list({Value::list({"a", "b"}), Value::list({"c"})})},
      {"rows", Value::list({Value::record({{"k", 7}})})}};
  EXPECT_EQ(assemble(graph, "n", outputs), expected);
}

TEST(AssembleInputsTest, ReadsNestedSourcePaths) {
  XCSGraph graph("g");
  add_echo_nodes(graph, {"p", "n"});
  graph.add_edge(edge(
      "p", "n", {mapping("result.items[1]", "x"), mapping("result", "whole")}));
  Value result = Value::record({{"items", Value::list({10, 20})}});
  Outputs outputs;
  outputs.set("p", {{"result", result}});
  EXPECT_EQ(assemble(graph, "n", outputs),
            (Record{{"x", 20}, {"whole", result}}));
}

TEST(AssembleInputsTest, ConstantsAloneMakeTheRecord) {
  XCSGraph graph("g");
  graph.add_node(operator_node("n", echo(), {{path("mode"), Value("fast")}}));
  EXPECT_EQ(assemble(graph, "n", Outputs()), (Record{{"mode", "fast"}}));
}

TEST(AssembleInputsTest, MissingSourceNamesGraphNodeProducerAndPath) {
  XCSGraph graph("pipeline");
  add_echo_nodes(graph, {"producer", "consumer"});
  graph.add_edge(
      edge("producer", "consumer", {mapping("result.answer", "prompt")}));
  Outputs outputs;
  outputs.set("producer", {{"result", Value::record({{"other", 1}})}});
  EXPECT_THAT([&] { assemble(graph, "consumer", outputs); },
              ThrowsMessage<InputError>(AllOf(
                  HasSubstr("graph 'pipeline'"), HasSubstr("node 'consumer'"),
                  HasSubstr("node 'producer'"), HasSubstr("'result.answer'"),
                  HasSubstr("'prompt'"), HasSubstr("no field 'answer'"))));
}

TEST(AssembleInputsTest, AGapIsAnInputErrorWithoutValidation) {
  XCSGraph graph("g");
  add_echo_nodes(graph, {"n"});
  graph.add_edge(
      edge("input", "n", {mapping("x", "parts[0]"), mapping("y", "parts[2]")}));
  Outputs outputs;
  outputs.set("input", {{"x", 1}, {"y", 2}});
  EXPECT_THAT([&] { assemble(graph, "n", outputs); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("graph 'g'"), HasSubstr("node 'n'"),
                        HasSubstr("'parts'"), HasSubstr("[1]"))));
}

// --- evaluate -------------------------------------------------------------

/// x -> (2x + 1) and x -> (3x - 4), added: a diamond.
class DiamondTest : public ::testing::Test {
protected:
  DiamondTest() {
    graph_.add_node(operator_node("double", twice_));
    graph_.add_node(operator_node("triple", thrice_));
    graph_.add_node(operator_node("add", add_));
    graph_.add_edge(edge("input", "double", {mapping("x", "x")}));
    graph_.add_edge(edge("input", "triple", {mapping("x", "x")}));
    graph_.add_edge(edge("double", "add", {mapping("y", "a")}));
    graph_.add_edge(edge("triple", "add", {mapping("y", "b")}));
    graph_.add_edge(edge("add", "output", {mapping("sum", "sum")}));
  }

  /// The same computation as plain calls of the same operators.
  Record direct(double x) const {
    Record in{{"x", x}};
    return (*add_)(
        {{"a", (*twice_)(in).at("y")}, {"b", (*thrice_)(in).at("y")}});
  }

  std::shared_ptr<FunctionOperator> twice_ = affine(2, 1);
  std::shared_ptr<FunctionOperator> thrice_ = affine(3, -4);
  std::shared_ptr<FunctionOperator> add_ = adder();
  XCSGraph graph_{"diamond"};
};

TEST_F(DiamondTest, MatchesTheDirectComputation) {
  for (double x : {0.0, 1.5, -7.0, 1e6}) {
    Record result = evaluate(graph_, {{"x", x}});
    EXPECT_EQ(result, direct(x)) << "x = " << x;
    EXPECT_DOUBLE_EQ(result.at("sum").as_double(), (2 * x + 1) + (3 * x - 4));
  }
}

TEST_F(DiamondTest, CallsEachOperatorOnce) {
  evaluate(graph_, {{"x", 1.0}});
  EXPECT_EQ(twice_->calls(), 1);
  EXPECT_EQ(thrice_->calls(), 1);
  EXPECT_EQ(add_->calls(), 1);
}

TEST_F(DiamondTest, ChecksInputsAgainstTheSpecification) {
  EXPECT_THAT(
      [&] {
        evaluate(graph_, {{"x", "not a number"}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Affine'"), HasSubstr("'x'"))));
  EXPECT_EQ(add_->calls(), 0);
}

TEST_F(DiamondTest, MissingGraphInputNamesTheInputNode) {
  EXPECT_THAT(
      [&] {
        evaluate(graph_, {{"z", 1.0}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("graph 'diamond'"), HasSubstr("node 'double'"),
                HasSubstr("node 'input'"), HasSubstr("'x'"))));
}

TEST(EvaluateTest, ResultIsTheOutputNodesRecord) {
  XCSGraph graph("g");
  graph.add_node(output_node("result"));
  graph.set_output_node_id("result");
  graph.add_edge(edge("input", "output", {mapping("x", "ignored")}));
  graph.add_edge(edge("input", "result", {mapping("x", "echo.x")}));
  EXPECT_EQ(evaluate(graph, {{"x", 5}}),
            (Record{{"echo", Value::record({{"x", 5}})}}));
}

TEST(EvaluateTest, OutputNodeConstantsArePlaced) {
  XCSGraph graph("g");
  graph.add_constant("output", {path("version"), Value(2)});
  graph.add_edge(edge("input", "output", {mapping("x", "x")}));
  EXPECT_EQ(evaluate(graph, {{"x", "v"}}),
            (Record{{"version", 2}, {"x", "v"}}));
}

struct Boom : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST(EvaluateTest, AnOperatorsExceptionPropagatesUnchanged) {
  XCSGraph graph("g");
  auto thrower = std::make_shared<FunctionOperator>(
      "Thrower", Specification().input("x").output("y"),
      [](const Record &) -> Record { throw Boom("boom at x"); });
  auto after = echo();
  graph.add_node(operator_node("t", thrower));
  graph.add_node(operator_node("after", after));
  graph.add_edge(edge("input", "t", {mapping("x", "x")}));
  graph.add_edge(edge("t", "after", {mapping("y", "y")}));
  graph.add_edge(edge("after", "output", {mapping("all", "all")}));
  EXPECT_THAT(
      [&] {
        evaluate(graph, {{"x", 1}});
      },
      ThrowsMessage<Boom>(StrEq("boom at x")));
  EXPECT_EQ(after->calls(), 0);
}

TEST(EvaluateTest, ValidatesBeforeRunningAnything) {
  XCSGraph graph("g");
  auto first = echo();
  auto second = echo();
  graph.add_node(operator_node("first", first));
  graph.add_node(operator_node("second", second));
  graph.add_edge(edge("input", "first", {mapping("x", "x")}));
  graph.add_edge(edge("first", "second", {mapping("all", "x")}));
  graph.add_edge(edge("second", "first", {mapping("all", "y")}));
  EXPECT_THAT(
      [&] {
        evaluate(graph, {{"x", 1}});
      },
      ThrowsMessage<GraphError>(HasSubstr("first -> second -> first")));
  EXPECT_EQ(first->calls(), 0);
  EXPECT_EQ(second->calls(), 0);
}

TEST(EvaluateTest, RejectsAMissingOutputNode) {
  XCSGraph graph("g");
  graph.set_output_node_id("gone");
  EXPECT_THAT([&] { evaluate(graph, {}); },
              ThrowsMessage<GraphError>(
                  AllOf(HasSubstr("graph 'g'"), HasSubstr("'gone'"))));
}

} // namespace
} // namespace xcs::graph_test
