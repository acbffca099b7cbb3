//===- compiled_graph_test.cpp - Running compiled graphs ------------------===//

#include "JIT/compiled_graph.h"

#include "IR/interpreter.h"
#include "IR/passes.h"
#include "jit_test_util.h"
#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

namespace xcs {
namespace {

using ::testing::HasSubstr;
using test::compiled;
using test::compile_error;
using test::counted;
using test::scheduled;

/// Every node kind: inputs, a constant, calls read by field, by a longer
/// path and whole, paths into a value, a list, a record and the output.
constexpr std::string_view every_kind = R"(
operator @aff "Affine"
operator @pack "Pack"
graph @every_kind(x, items) -> (a, b, c, d, e, f) {
  %0 = input x
  %1 = input items
  %2 = const 10
  %3 = call @aff(x: %0)
  %4 = get %3 y
  %5 = call @pack(v: %4, w: %2)
  %6 = get %5 out.inner[1]
  %7 = get %1 [0]
  %8 = list [%4, %6, %7]
  %9 = record {l: %8, r: %3}
  output a: %4, b: %6, c: %7, d: %8, e: %9, f: %5
}
)";

/// {v, w} -> {out: {inner: [v, w]}}.
OperatorPtr pack() {
  return ops::function(
      "Pack", Specification().input("v").input("w").output("out", Kind::Record),
      [](const Record &in) {
        return Record{{"out", Value::record(Record{
                                  {"inner", Value::list({in.at("v"),
                                                         in.at("w")})}})}};
      });
}

std::vector<OperatorPtr> every_kind_operators() {
  return {ops::affine(2, 1), pack()};
}

Record every_kind_input() {
  return Record{{"x", 3}, {"items", Value::list({"first", "second"})}};
}

Record every_kind_result() {
  Value list = Value::list({7, 10, "first"});
  Record packed{{"out", Value::record(Record{
                            {"inner", Value::list({7, 10})}})}};
  return Record{{"a", 7},
                {"b", 10},
                {"c", "first"},
                {"d", list},
                {"e", Value::record(Record{
                          {"l", list}, {"r", Value::record(Record{{"y", 7}})}})},
                {"f", Value::record(packed)}};
}

/// Each test runs at both optimization levels.
class CompiledGraphTest : public ::testing::TestWithParam<OptLevel> {
protected:
  std::optional<CompiledGraph> compile_every_kind() {
    return compiled(scheduled(every_kind), every_kind_operators(), GetParam());
  }
};

TEST_P(CompiledGraphTest, ComputesEveryNodeKind) {
  std::optional<CompiledGraph> graph = compile_every_kind();
  ASSERT_TRUE(graph);
  EXPECT_EQ(graph->run(every_kind_input()), every_kind_result());
}

TEST_P(CompiledGraphTest, AgreesWithTheInterpreterAfterTheDefaultPipeline) {
  ir::Module module = test::parsed(every_kind);
  ir::run_default_pipeline(module);
  std::vector<OperatorPtr> operators = every_kind_operators();
  std::optional<CompiledGraph> graph = compiled(module, operators, GetParam());
  ASSERT_TRUE(graph);
  for (int x : {-5, 0, 3, 1000})
    EXPECT_EQ(graph->run({{"x", x}, {"items", Value::list({x})}}),
              ir::interpret(module, operators,
                            {{"x", x}, {"items", Value::list({x})}}))
        << x;
}

TEST_P(CompiledGraphTest, TheTaskTableRunsTheGraphLikeTheEntry) {
  std::optional<CompiledGraph> graph = compile_every_kind();
  ASSERT_TRUE(graph);
  const CompiledModule &module = *graph->module();
  std::span<const runtime::TaskEntry> tasks = module.tasks();
  ASSERT_FALSE(tasks.empty());
  // Run the tasks as an executor would: each once its predecessors are done.
  Record input = every_kind_input();
  Record output;
  runtime::Frame frame(module.shape(), input, graph->tables(), output);
  std::vector<std::uint32_t> waiting;
  std::vector<std::uint32_t> ready;
  for (std::uint32_t t = 0; t < tasks.size(); ++t) {
    waiting.push_back(tasks[t].join_count);
    if (tasks[t].join_count == 0)
      ready.push_back(t);
  }
  std::size_t ran = 0;
  while (!ready.empty()) {
    std::uint32_t t = ready.back();
    const runtime::TaskEntry &task = tasks[t];
    ready.pop_back();
    ASSERT_EQ(module.task()(&frame, t), 0);
    ++ran;
    for (std::uint32_t i = 0; i < task.successor_count; ++i)
      if (--waiting[task.successors[i]] == 0)
        ready.push_back(task.successors[i]);
  }
  EXPECT_EQ(ran, tasks.size());
  ASSERT_EQ(module.output()(&frame), 0);
  EXPECT_EQ(output, every_kind_result());
}

TEST_P(CompiledGraphTest, AMissingInputIsAnInputError) {
  std::optional<CompiledGraph> graph = compile_every_kind();
  ASSERT_TRUE(graph);
  EXPECT_THROW(
      {
        try {
          graph->run({{"x", 1}});
        } catch (const InputError &error) {
          EXPECT_STREQ(error.what(),
                       "graph @every_kind: the input has no field 'items'");
          throw;
        }
      },
      InputError);
}

/// ok -> bad -> after, each call reading the previous one's y.
constexpr std::string_view chain = R"(
operator @ok "Ok"
operator @bad "Bad"
operator @after "After"
graph @chain(x) -> (y) {
  %0 = input x
  %1 = call @ok(x: %0)
  %2 = get %1 y
  %3 = call @bad(x: %2)
  %4 = get %3 y
  %5 = call @after(x: %4)
  output y: %5
}
)";

test::Counted pass_through(std::string name) {
  return counted(std::move(name), Specification().input("x").output("y"),
                 [](const Record &in) { return Record{{"y", in.at("x")}}; });
}

/// The ExecutionError running \p graph on \p input throws; a test failure
/// (and nothing) if the run throws none.
std::optional<ExecutionError> execution_error(const CompiledGraph &graph,
                                              const Record &input) {
  try {
    graph.run(input);
  } catch (const ExecutionError &error) {
    return error;
  }
  ADD_FAILURE() << "no ExecutionError";
  return std::nullopt;
}

TEST_P(CompiledGraphTest, AFailingOperatorStopsTheRunAndIsNamed) {
  test::Counted ok = pass_through("Ok");
  test::Counted bad = counted("Bad", Specification().input("x").output("y"),
                              [](const Record &) -> Record {
                                throw std::out_of_range("bad things");
                              });
  test::Counted after = pass_through("After");
  std::optional<CompiledGraph> graph =
      compiled(scheduled(chain), {ok.op, bad.op, after.op}, GetParam());
  ASSERT_TRUE(graph);
  std::optional<ExecutionError> error = execution_error(*graph, {{"x", 1}});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->node(), "%3");
  EXPECT_EQ(error->op(), "Bad");
  EXPECT_THAT(error->what(), HasSubstr("bad things"));
  EXPECT_THROW(error->rethrow_cause(), std::out_of_range);
  EXPECT_EQ(*ok.calls, 1);
  EXPECT_EQ(*bad.calls, 1);
  EXPECT_EQ(*after.calls, 0);
}

TEST_P(CompiledGraphTest, AnInvalidCallIsAnExecutionErrorCausedByInputError) {
  test::Counted ok = counted("Ok", Specification().input("x").output("y"),
                             [](const Record &) {
                               return Record{{"y", "not an int"}};
                             });
  test::Counted after = pass_through("After");
  std::optional<CompiledGraph> graph = compiled(
      scheduled(chain), {ok.op, ops::affine(1, 0), after.op}, GetParam());
  ASSERT_TRUE(graph);
  std::optional<ExecutionError> error = execution_error(*graph, {{"x", 1}});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->node(), "%3");
  EXPECT_EQ(error->op(), "Affine");
  EXPECT_THROW(error->rethrow_cause(), InputError);
  EXPECT_EQ(*after.calls, 0);
}

TEST_P(CompiledGraphTest, AFailingGetIsNamedByItsOpcode) {
  test::Counted ok = counted("Ok", Specification().input("x").output("z"),
                             [](const Record &in) {
                               return Record{{"z", in.at("x")}};
                             });
  test::Counted bad = pass_through("Bad");
  test::Counted after = pass_through("After");
  std::optional<CompiledGraph> graph = compiled(
      scheduled(chain), {ok.op, bad.op, after.op}, GetParam());
  ASSERT_TRUE(graph);
  std::optional<ExecutionError> error = execution_error(*graph, {{"x", 1}});
  ASSERT_TRUE(error);
  EXPECT_EQ(error->node(), "%2");
  EXPECT_EQ(error->op(), "get");
  EXPECT_THAT(error->what(), HasSubstr("no field 'y'"));
  EXPECT_THROW(error->rethrow_cause(), InputError);
  EXPECT_EQ(*bad.calls, 0);
}

TEST_P(CompiledGraphTest, ManyThreadsMayRunOneGraph) {
  std::optional<CompiledGraph> graph = compile_every_kind();
  ASSERT_TRUE(graph);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        int x = t * 1000 + i;
        Record result =
            graph->run({{"x", x}, {"items", Value::list({"first"})}});
        if (result.at("a") != Value(2 * x + 1))
          ++wrong;
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(wrong, 0);
}

INSTANTIATE_TEST_SUITE_P(Levels, CompiledGraphTest,
                         ::testing::Values(OptLevel::O0, OptLevel::O2),
                         [](const auto &info) {
                           return std::string(opt_level_name(info.param));
                         });

/// One call whose result is the output, with a constant beside it.
constexpr std::string_view single_call = R"(
operator @f "Affine"
graph @single(x) -> (y, c) {
  %0 = input x
  %1 = call @f(x: %0)
  %2 = get %1 y
  %3 = const null
  output y: %2, c: %3
}
)";

TEST(StructuralSharingTest, IdenticalIrSharesOneModuleAcrossInstances) {
  std::size_t before = live_compiled_modules();
  std::optional<CompiledGraph> doubled =
      compiled(scheduled(single_call), {ops::affine(2, 0)});
  std::optional<CompiledGraph> tripled =
      compiled(scheduled(single_call), {ops::affine(3, 0)});
  ASSERT_TRUE(doubled && tripled);
  EXPECT_EQ(doubled->module(), tripled->module());
  EXPECT_EQ(live_compiled_modules(), before + 1);
  // Each graph calls its own instances.
  EXPECT_EQ(doubled->run({{"x", 5}}).at("y"), Value(10));
  EXPECT_EQ(tripled->run({{"x", 5}}).at("y"), Value(15));
}

TEST(StructuralSharingTest, LevelsDoNotShare) {
  std::optional<CompiledGraph> fast =
      compiled(scheduled(single_call), {ops::affine(2, 0)}, OptLevel::O0);
  std::optional<CompiledGraph> optimized =
      compiled(scheduled(single_call), {ops::affine(2, 0)}, OptLevel::O2);
  ASSERT_TRUE(fast && optimized);
  EXPECT_NE(fast->module(), optimized->module());
}

TEST(StructuralSharingTest, DifferentIrDoesNotShare) {
  ir::Module other = scheduled(single_call);
  other.function.nodes[3].value = Value(1);
  std::optional<CompiledGraph> first =
      compiled(scheduled(single_call), {ops::affine(2, 0)});
  std::optional<CompiledGraph> second = compiled(other, {ops::affine(2, 0)});
  ASSERT_TRUE(first && second);
  EXPECT_NE(first->module(), second->module());
}

TEST(StructuralSharingTest, ConstantsWithoutTextStayWithTheirGraph) {
  // Opaque constants print alike, so the graphs share code, but each run
  // must see its own graph's object.
  auto object = [](int n) {
    return Value::opaque(std::make_shared<int>(n), "int");
  };
  ir::Module first = scheduled(single_call);
  ir::Module second = scheduled(single_call);
  first.function.nodes[3].value = object(1);
  second.function.nodes[3].value = object(2);
  std::optional<CompiledGraph> one = compiled(first, {ops::affine(1, 0)});
  std::optional<CompiledGraph> two = compiled(second, {ops::affine(1, 0)});
  ASSERT_TRUE(one && two);
  EXPECT_EQ(one->module(), two->module());
  EXPECT_EQ(*one->run({{"x", 0}}).at("c").as_opaque<int>(), 1);
  EXPECT_EQ(*two->run({{"x", 0}}).at("c").as_opaque<int>(), 2);
}

TEST(StructuralSharingTest, ConcurrentCompilesOfOneIrEndUpSharing) {
  ir::Module module = scheduled(single_call);
  module.function.name = "concurrent";
  std::vector<std::optional<CompiledGraph>> graphs(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < graphs.size(); ++t)
    threads.emplace_back(
        [&, t] { graphs[t] = compiled(module, {ops::affine(2, 0)}); });
  for (std::thread &thread : threads)
    thread.join();
  for (const std::optional<CompiledGraph> &graph : graphs) {
    ASSERT_TRUE(graph);
    EXPECT_EQ(graph->module(), graphs[0]->module());
  }
}

TEST(ReleaseTest, ReleasingTheLastGraphRemovesTheCode) {
  std::size_t before = live_compiled_modules();
  {
    auto compile_chain = [] {
      return compiled(scheduled(chain), {pass_through("Ok").op,
                                         pass_through("Bad").op,
                                         pass_through("After").op});
    };
    std::optional<CompiledGraph> graph = compile_chain();
    std::optional<CompiledGraph> twin = compile_chain();
    ASSERT_TRUE(graph && twin);
    EXPECT_EQ(live_compiled_modules(), before + 1);
    graph.reset();
    EXPECT_EQ(live_compiled_modules(), before + 1);
    EXPECT_EQ(twin->run({{"x", 4}}).at("y"),
              Value::record(Record{{"y", 4}}));
  }
  EXPECT_EQ(live_compiled_modules(), before);
}

TEST(EdgeCaseTest, AGraphOfOnlyItsOutputReturnsAnEmptyRecord) {
  std::optional<CompiledGraph> graph =
      compiled(scheduled("graph @empty() -> () {\n output\n}"), {});
  ASSERT_TRUE(graph);
  EXPECT_EQ(graph->module()->tasks().size(), 0u);
  EXPECT_EQ(graph->run({{"ignored", 1}}), Record());
}

TEST(EdgeCaseTest, AMissingInputIsTheFirstDeclaredOneMissing) {
  // Fields sort by when they were first named, so late_field sorts after
  // early_field whichever the graph declares first.
  FieldId early("early_field");
  FieldId late("late_field");
  ASSERT_LT(early, late);
  std::optional<CompiledGraph> graph = compiled(scheduled(R"(
graph @two(late_field, early_field) -> (a, b) {
  %0 = input late_field
  %1 = input early_field
  output a: %0, b: %1
})"),
                                                {});
  ASSERT_TRUE(graph);
  EXPECT_EQ(graph->run({{"late_field", 1}, {"early_field", 2}}),
            (Record{{"a", 1}, {"b", 2}}));
  auto missing = [&](Record input) {
    try {
      graph->run(input);
    } catch (const InputError &error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(missing({}), "graph @two: the input has no field 'late_field'");
  EXPECT_EQ(missing({{"late_field", 1}}),
            "graph @two: the input has no field 'early_field'");
  EXPECT_EQ(missing({{"early_field", 2}, {"other", 3}}),
            "graph @two: the input has no field 'late_field'");
}

TEST(EdgeCaseTest, AGraphWithoutCallsRoutesItsInputs) {
  std::optional<CompiledGraph> graph = compiled(scheduled(R"(
graph @routing(x) -> (copy, pair, fixed) {
  %0 = input x
  %1 = const "c"
  %2 = list [%0, %1]
  output copy: %0, pair: %2, fixed: %1
})"),
                                                {});
  ASSERT_TRUE(graph);
  EXPECT_EQ(graph->run({{"x", 1}}),
            (Record{{"copy", 1},
                    {"pair", Value::list({1, "c"})},
                    {"fixed", "c"}}));
}

TEST(EdgeCaseTest, AResultBuiltInPlaceKeepsJustTheOutputsFields) {
  // The output takes %1's record whole, so the call builds the result; it
  // returns a field the output does not name.
  std::optional<CompiledGraph> graph = compiled(
      scheduled(R"(
operator @wide "Wide"
graph @wide(x) -> (y) {
  %0 = input x
  %1 = call @wide(x: %0)
  %2 = get %1 y
  output y: %2
})"),
      {ops::function("Wide", Specification().input("x").output("y").output("z"),
                     [](const Record &in) {
                       return Record{{"y", in.at("x")}, {"z", 2}};
                     })});
  ASSERT_TRUE(graph);
  EXPECT_EQ(graph->module()->shape().output_record, 0u);
  EXPECT_EQ(graph->run({{"x", 1}}), (Record{{"y", 1}}));
}

TEST(CompileErrorTest, RejectsATableOfTheWrongSize) {
  EXPECT_EQ(compile_error(scheduled(single_call), {}),
            "graph @single: 0 operators for an operator table of 1");
}

TEST(CompileErrorTest, RejectsAMissingOperator) {
  EXPECT_EQ(compile_error(scheduled(single_call), {nullptr}),
            "graph @single: no operator for @op0");
}

TEST(CompileErrorTest, RejectsAnInputThatIsNotAGraphInput) {
  ir::Module module = scheduled(single_call);
  module.function.inputs.clear();
  EXPECT_EQ(compile_error(module, {ops::affine(1, 0)}),
            "graph @single: %0 reads 'x', which is not a graph input");
}

TEST(CompileErrorTest, RejectsAnUnscheduledModule) {
  EXPECT_THAT(compile_error(test::parsed(single_call), {ops::affine(1, 0)}),
              HasSubstr("graph @single: cannot compile the schedule"));
}

} // namespace
} // namespace xcs
