//===- interpreter_test.cpp - The IR interpreter agrees with evaluate() ---===//

#include "ir_test_util.h"
#include "test_graphs.h"

#include "IR/interpreter.h"
#include "IR/lower.h"
#include "IR/passes.h"
#include "IR/verifier.h"

#include "xcs/error.h"
#include "xcs/graph_builder.h"
#include "xcs/json.h"
#include "xcs/trace.h"

#include <gmock/gmock.h>

#include <algorithm>
#include <functional>

namespace xcs::ir {
namespace {

using test::message;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

struct GraphCase {
  const char *name;
  std::function<XCSGraph()> build;
  std::vector<const char *> inputs;
};

class InterpreterTest : public ::testing::TestWithParam<GraphCase> {};

/// For each input, interpreting the lowered module, before and after the
/// default pipeline, gives exactly what evaluate() gives.
TEST_P(InterpreterTest, AgreesWithEvaluate) {
  XCSGraph graph = GetParam().build();
  std::vector<OperatorPtr> table;
  llvm::Expected<Module> lowered = lower(graph, table);
  ASSERT_TRUE(bool(lowered)) << llvm::toString(lowered.takeError());
  Module optimized = *lowered;
  run_default_pipeline(optimized);
  ASSERT_EQ(message(verify(optimized)), "");
  for (const char *json : GetParam().inputs) {
    Record input = parse_json_record(json);
    Record expected = evaluate(graph, input);
    EXPECT_EQ(interpret(*lowered, table, input), expected) << json;
    EXPECT_EQ(interpret(optimized, table, input), expected) << json;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Graphs, InterpreterTest,
    ::testing::Values(
        GraphCase{"chain",
                  test::chain_graph,
                  {R"({"x": 0})", R"({"x": -7})", R"({"x": 2.5})",
                   R"({"x": 1, "unused": "ignored"})"}},
        GraphCase{"ensemble",
                  test::ensemble_graph,
                  {R"({"query": "what is 2+2?"})", R"({"query": ""})",
                   R"({"query": "another question"})"}},
        GraphCase{"configure",
                  test::configure_graph,
                  {R"({"doc": {"n": 1}, "x": 2})",
                   R"({"doc": {"n": -50, "title": "t"}, "x": 0})"}}),
    [](const auto &info) { return std::string(info.param.name); });

class ExampleTest : public ::testing::TestWithParam<std::string> {};

/// The built-in examples, traced into graphs: the lowered and optimized
/// module computes what the eager call and evaluate() compute.
TEST_P(ExampleTest, LoweredTraceAgreesWithTheEagerCall) {
  ops::Example example = ops::example(GetParam());
  Trace traced = trace(*example.op, example.input);
  XCSGraph graph = AutoGraphBuilder().build(traced, example.name);
  std::vector<OperatorPtr> table;
  llvm::Expected<Module> module = lower(graph, table);
  ASSERT_TRUE(bool(module)) << llvm::toString(module.takeError());
  run_default_pipeline(*module);
  ASSERT_EQ(message(verify(*module)), "") << print(*module);
  EXPECT_EQ(interpret(*module, table, example.input), traced.output);
  EXPECT_EQ(interpret(*module, table, example.input),
            evaluate(graph, example.input));
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleTest,
                         ::testing::ValuesIn(ops::example_names()),
                         [](const auto &info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

/// The chain graph lowered, with its operator table.
struct Lowered {
  Module module;
  std::vector<OperatorPtr> table;
};

Lowered lowered(const XCSGraph &graph) {
  Lowered result;
  llvm::Expected<Module> module = lower(graph, result.table);
  EXPECT_TRUE(bool(module)) << llvm::toString(module.takeError());
  if (module)
    result.module = std::move(*module);
  return result;
}

TEST(InterpreterErrorTest, NamesAMissingInputField) {
  Lowered chain = lowered(test::chain_graph());
  EXPECT_THAT(
      [&] {
        interpret(chain.module, chain.table, Record{{"y", 1}});
      },
      ThrowsMessage<InputError>("graph @chain: the input has no field 'x'"));
}

TEST(InterpreterErrorTest, RejectsAShortOperatorTable) {
  Lowered chain = lowered(test::chain_graph());
  chain.table.pop_back();
  EXPECT_THAT(
      [&] {
        interpret(chain.module, chain.table, Record{{"x", 1}});
      },
      ThrowsMessage<InputError>(
          "graph @chain: the operator table has 2 entries but only 1 "
          "operators were given"));
}

// The interpreter runs unverified modules too: one whose output node was
// dropped fails with the graph's name instead of returning nothing.
TEST(InterpreterErrorTest, NamesAGraphWithoutAnOutputNode) {
  Lowered chain = lowered(test::chain_graph());
  chain.module.function.nodes.pop_back();
  EXPECT_THAT(
      [&] {
        interpret(chain.module, chain.table, Record{{"x", 1}});
      },
      ThrowsMessage<InputError>("graph @chain: has no output node"));
}

TEST(InterpreterErrorTest, PropagatesAFailedPathRead) {
  Lowered configure = lowered(test::configure_graph());
  Record input{{"doc", "not a record"}, {"x", 1}};
  EXPECT_THROW(evaluate(test::configure_graph(), input), InputError);
  EXPECT_THAT([&] { interpret(configure.module, configure.table, input); },
              ThrowsMessage<InputError>(HasSubstr("expected a record")));
}

TEST(InterpreterErrorTest, ChecksOperatorSpecifications) {
  Lowered ensemble = lowered(test::ensemble_graph());
  EXPECT_THAT(
      [&] {
        interpret(ensemble.module, ensemble.table, Record{{"query", 3}});
      },
      ThrowsMessage<InputError>(HasSubstr("prompt")));
}

TEST(InterpreterErrorTest, PropagatesOperatorFailuresUnchanged) {
  ops::ModelCallOptions flaky;
  flaky.name = "Flaky";
  flaky.fail_on = "boom";
  XCSGraph graph("failing");
  graph.add_node(test::operator_node("m", ops::model_call(flaky)));
  test::add_edge(graph, "input", "m", {test::mapping("q", "prompt")});
  Lowered failing = lowered(graph);
  EXPECT_THAT(
      [&] {
        interpret(failing.module, failing.table, Record{{"q", "boom"}});
      },
      ThrowsMessage<std::runtime_error>(
          "model 'Flaky' failed on prompt 'boom'"));
}

TEST(InterpreterTextTest, RunsHandWrittenIR) {
  Module module = test::parse_text(R"(
operator @add "Add"
graph @g(x) -> (sum, parts, pick) {
  %x = input x
  %k = const {"two": 2, "list": [10, 20]}
  %two = get %k two
  %ten = get %k list[0]
  %s = call @add(a: %x, b: %two)
  %sum = get %s y
  %parts = record {x: %x, k: %k}
  %l = list [%ten, %sum]
  %pick = get %l [1]
  output sum: %sum, parts: %parts, pick: %pick
}
)");
  ASSERT_EQ(message(verify(module)), "");
  std::vector<OperatorPtr> table = {ops::binary(ops::BinaryOp::Add)};
  Record result = interpret(module, table, Record{{"x", 40}});
  EXPECT_EQ(to_json(result), R"({"parts":{"k":{"list":[10,20],"two":2},)"
                             R"("x":40},"pick":42,"sum":42})");
}

} // namespace
} // namespace xcs::ir
