//===- differential_test.cpp - Eager == graph == interpreter == compiled --===//
//
// For every built-in example and for 1,000 random pipelines (fixed seeds),
// the traced and compiled plan must compute what the eager call computes, on
// inputs other than the one it was traced with. An outcome is the result
// record or the error (its type and message): a plan must fail exactly when
// eager does, with eager's error. A plan computes the composite's forward;
// its result is validated as the composite's, as JitOperator validates it. The
// graph evaluator and the interpreter run sequentially; the machine code runs
// under the parallel executor with 1, 2 and 64 workers.
//
// Map nodes: 300 random pipelines (faults or not) mapped over lists with
// xcs::vmap, planned as jit plans them, so the mapped call is a map node
// whose body is the pipeline's plan: eager == interpreter == compiled, with
// lists of several lengths (empty, of different lengths in two mapped
// fields), failing elements, and per-element outcomes.
//
// Fault injection: 1,000 more random pipelines whose leaves fail on about
// one input in five, by throwing, leaving out a declared output or giving
// it the wrong kind. Most runs then meet several failing leaves, on
// branches that run concurrently, and every way of running must still
// report the error of the leaf an eager call fails at first.
//
//===----------------------------------------------------------------------===//

#include "outcome.h"
#include "random_pipeline.h"

#include "IR/interpreter.h"
#include "IR/lower.h"
#include "IR/passes.h"
#include "IR/verifier.h"
#include "JIT/compiled_graph.h"
#include "JIT/plan_builder.h"
#include "xcs/control_flow.h"
#include "xcs/error.h"
#include "xcs/graph_builder.h"
#include "xcs/ops.h"
#include "xcs/vmap.h"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>

namespace xcs {
namespace {

using testing_util::outcome;

/// The outcome of \p run in \p op's place. A graph, the interpreter and a
/// plan compute op's forward; the operator that runs a plan (JitOperator)
/// has op's specification and validates the result as op's own call does.
std::string outcome_as(const Operator &op, const std::function<Record()> &run) {
  return outcome([&] {
    Record result = run();
    op.spec().validate_outputs(op.name(), result);
    return result;
  });
}

/// \p plan run on \p input with \p workers threads, cheap tasks included.
/// A failing node throws its own exception, as eager reports it.
Record run_compiled(const CompiledGraph &plan, const Record &input,
                    unsigned workers) {
  try {
    return plan.run(input, {.workers = workers,
                            .serial_below = std::chrono::nanoseconds(0)});
  } catch (const ExecutionError &error) {
    error.rethrow_cause();
  }
}

/// Whether some node of \p graph is an opaque composite.
bool has_opaque_node(const XCSGraph &graph) {
  for (const XCSNode *node : graph.operator_nodes())
    if (!node->opaque_reason.empty())
      return true;
  return false;
}

/// Checks that the composites of \p graph are opaque only for the reason a
/// random pipeline's can be: an output declared int whose kind the trace
/// cannot prove (the generated glue is pure routing). Returns whether the
/// graph flattened completely.
bool flattened_or_kind_unproven(const XCSGraph &graph, std::uint64_t seed) {
  bool flat = true;
  for (const XCSNode *node : graph.operator_nodes()) {
    if (node->opaque_reason.empty())
      continue;
    flat = false;
    EXPECT_NE(node->opaque_reason.find("only running the composite checks"),
              std::string::npos)
        << "seed " << seed << ": " << node->opaque_reason;
  }
  return flat;
}

/// Traces \p op on inputs[0], lowers and optimizes it, and checks every
/// execution path against the eager call on every input. \p faults_on, if
/// given, is switched off for the trace. Returns the graph.
XCSGraph check_pipeline(const OperatorPtr &op,
                        const std::vector<Record> &inputs,
                        const std::string &what,
                        std::atomic<bool> *faults_on = nullptr) {
  if (faults_on)
    faults_on->store(false);
  XCSGraph graph = AutoGraphBuilder().build(trace(*op, inputs.front()), "g");
  if (faults_on)
    faults_on->store(true);
  std::vector<OperatorPtr> table;
  llvm::Expected<ir::Module> module = ir::lower(graph, table);
  if (!module) {
    ADD_FAILURE() << what << ": " << llvm::toString(module.takeError());
    return graph;
  }
  ir::run_default_pipeline(*module);
  if (llvm::Error invalid = ir::verify(*module)) {
    ADD_FAILURE() << what << ": " << llvm::toString(std::move(invalid));
    return graph;
  }
  llvm::Expected<CompiledGraph> plan = compile(*module, table);
  if (!plan) {
    ADD_FAILURE() << what << ": " << llvm::toString(plan.takeError());
    return graph;
  }

  for (const Record &input : inputs) {
    std::string eager = outcome([&] { return (*op)(input); });
    EXPECT_EQ(outcome_as(*op, [&] { return evaluate(graph, input); }), eager)
        << what << " graph on " << input;
    EXPECT_EQ(
        outcome_as(*op, [&] { return ir::interpret(*module, table, input); }),
        eager)
        << what << " interpreter on " << input;
    for (unsigned workers : {1u, 2u, 64u})
      EXPECT_EQ(
          outcome_as(*op, [&] { return run_compiled(*plan, input, workers); }),
          eager)
          << what << " compiled, " << workers << " workers, on " << input;
  }
  return graph;
}

TEST(Differential, Examples) {
  for (const std::string &name : ops::example_names()) {
    ops::Example example = ops::example(name);
    std::vector<Record> inputs = {example.input};
    if (example.input.contains("questions"))
      for (Value questions :
           {Value::list({}), Value::list({Value("a")}), Value::list({Value(1)})})
        inputs.push_back(Record{{"questions", questions}, {"style", "s"}});
    else if (example.input.contains("query"))
      for (const char *query : {"5", "", "what now?", "a", "b", "c"})
        inputs.push_back(Record{{"query", query}});
    else
      for (int x : {5, 10, 0, -5})
        inputs.push_back(Record{{"x", x}});
    // ask-again-glue shows what glue control flow costs: one opaque node.
    EXPECT_EQ(has_opaque_node(check_pipeline(example.op, inputs, name)),
              name == "ask-again-glue")
        << name << " should flatten completely";
  }
}

TEST(Differential, ThousandRandomPipelines) {
  int flattened = 0;
  for (std::uint64_t seed = 1; seed <= 1000; ++seed) {
    testing_util::Pipeline pipeline = testing_util::random_pipeline(seed, {});
    XCSGraph graph = check_pipeline(pipeline.op, pipeline.inputs,
                                    "seed " + std::to_string(seed));
    if (::testing::Test::HasFailure())
      return;
    flattened += flattened_or_kind_unproven(graph, seed);
  }
  // An opaque node hides its inner graph from the comparison: most
  // pipelines must flatten completely.
  EXPECT_GT(flattened, 600);
}

TEST(Differential, RandomPipelinesWithAsyncLeaves) {
  testing_util::RandomPipelineOptions options;
  options.faults = true;
  options.async_leaves = true;
  int with_async = 0;
  for (std::uint64_t seed = 3001; seed <= 3300; ++seed) {
    testing_util::Pipeline pipeline =
        testing_util::random_pipeline(seed, options);
    with_async += pipeline.has_async_leaves;
    check_pipeline(pipeline.op, pipeline.inputs,
                   "async seed " + std::to_string(seed),
                   pipeline.faults_on.get());
    if (::testing::Test::HasFailure())
      return;
  }
  EXPECT_GT(with_async, 250);
}

// Structured operators among the steps: conds (some on ints, which they
// reject), switches, fallbacks whose primary fails, bounded loops, with
// faults in the leaves inside them too. Each is one node of the graph and a
// structured node of the IR, compiled to real branches.
TEST(Differential, RandomPipelinesWithControlFlow) {
  for (bool faults : {false, true}) {
    testing_util::RandomPipelineOptions options;
    options.faults = faults;
    options.control_flow = true;
    int structured = 0;
    for (std::uint64_t seed = 6001; seed <= 6300; ++seed) {
      testing_util::Pipeline pipeline =
          testing_util::random_pipeline(seed, options);
      XCSGraph graph = check_pipeline(
          pipeline.op, pipeline.inputs,
          std::string(faults ? "faulty " : "") + "control-flow seed " +
              std::to_string(seed),
          faults ? pipeline.faults_on.get() : nullptr);
      if (::testing::Test::HasFailure())
        return;
      for (const XCSNode *node : graph.operator_nodes())
        structured += dynamic_cast<const StructuredOperator *>(
                          node->op.get()) != nullptr;
    }
    EXPECT_GT(structured, 300);
  }
}

/// Inputs of vmap(p) over x0 (and x1 when \p two_fields) built from \p
/// rows, the inputs of p: the first \p n rows' values in the mapped
/// fields, the first row's in the others.
Record mapped_input(const std::vector<Record> &rows, std::size_t n,
                    bool two_fields, std::size_t second_n) {
  Record input = rows.front();
  auto column = [&](const char *field, std::size_t count) {
    std::vector<Value> items;
    for (std::size_t i = 0; i < count; ++i)
      items.push_back(rows[i % rows.size()].at(field));
    return Value::list(std::move(items));
  };
  input.set("x0", column("x0", n));
  if (two_fields)
    input.set("x1", column("x1", second_n));
  return input;
}

TEST(Differential, RandomPipelinesMappedOverLists) {
  int map_nodes = 0;
  for (std::uint64_t seed = 7001; seed <= 7300; ++seed) {
    testing_util::RandomPipelineOptions options;
    options.faults = seed % 2 == 0;
    testing_util::Pipeline pipeline =
        testing_util::random_pipeline(seed, options);
    bool two_fields = seed % 3 == 0;
    std::vector<std::string> fields{"x0"};
    if (two_fields)
      fields.push_back("x1");
    OperatorPtr mapped = vmap(pipeline.op, fields,
                              {.per_element_outcomes = seed % 5 < 2});
    std::vector<Record> inputs;
    for (std::size_t n : {4u, 0u, 1u, 7u})
      inputs.push_back(mapped_input(pipeline.inputs, n, two_fields, n));
    if (two_fields)
      inputs.push_back(mapped_input(pipeline.inputs, 3, true, 2));
    std::string what = "mapped seed " + std::to_string(seed);
    pipeline.faults_on->store(false);
    BuiltPlan plan;
    try {
      plan = build_plan(mapped, inputs.front(), Strategy::Auto, OptLevel::O0);
    } catch (const std::exception &error) {
      ADD_FAILURE() << what << ": " << error.what();
      return;
    }
    pipeline.faults_on->store(true);
    for (const ir::Node &node : plan.scheduled.function.nodes)
      map_nodes += node.opcode == ir::Opcode::Map;
    for (const Record &input : inputs) {
      std::string eager = outcome([&] { return (*mapped)(input); });
      EXPECT_EQ(outcome_as(*mapped,
                           [&] {
                             return ir::interpret(plan.scheduled,
                                                  plan.operators, input);
                           }),
                eager)
          << what << " interpreter on " << input;
      for (unsigned workers : {1u, 2u, 64u})
        EXPECT_EQ(outcome_as(*mapped,
                             [&] {
                               return run_compiled(*plan.compiled, input,
                                                   workers);
                             }),
                  eager)
            << what << " compiled, " << workers << " workers, on " << input;
    }
    if (::testing::Test::HasFailure())
      return;
  }
  // Every mapped call is a map node: its body is the pipeline's plan when
  // a symbolic run gives it (with an opaque node where a kind cannot be
  // proven), else (about half have a Pack or a Sum, which declare no
  // structure) a call of the pipeline.
  EXPECT_EQ(map_nodes, 300);
}

TEST(Differential, ThousandRandomPipelinesWithFaults) {
  testing_util::RandomPipelineOptions faulty;
  faulty.faults = true;
  int failed_runs = 0;
  int runs = 0;
  for (std::uint64_t seed = 1001; seed <= 2000; ++seed) {
    testing_util::Pipeline pipeline =
        testing_util::random_pipeline(seed, faulty);
    XCSGraph graph = check_pipeline(pipeline.op, pipeline.inputs,
                                    "faulty seed " + std::to_string(seed),
                                    pipeline.faults_on.get());
    if (::testing::Test::HasFailure())
      return;
    flattened_or_kind_unproven(graph, seed);
    for (const Record &input : pipeline.inputs) {
      ++runs;
      failed_runs +=
          outcome([&] { return (*pipeline.op)(input); }).starts_with("error");
    }
  }
  // The faults must be frequent enough to meet several per run, and rare
  // enough that plenty of runs get through.
  EXPECT_GT(failed_runs, runs / 4);
  EXPECT_LT(failed_runs, runs * 9 / 10);
}

} // namespace
} // namespace xcs
