//===- compile_bench.cpp - Latency of compiling graphs --------------------===//
//
// For graphs of 10, 100 and 1,000 trivial operator calls, shaped as a chain
// (each call reads the previous one), as a fan-out (every call reads the
// input; the output lists all results), and as a chain whose every tenth
// node is a cond choosing between two affines (shape 2, "branches": 10 conds
// in 100 nodes, compiled to real branches):
//
//  BM_Lower           XCSGraph -> routing IR -> default pass pipeline.
//  BM_Emit            scheduled routing IR -> LLVM module (no ORC).
//  BM_Compile/O0|O2   lower + pipeline + emit + optimize + machine code +
//                     link, i.e. everything between a graph and runnable
//                     code. Releasing the code is not timed.
//  BM_StructuralHit   compile() of lowered IR while a structurally identical
//                     graph is live: print, key lookup, binding; no compile.
//
// Targets: BM_Compile/O0 of a 100-call graph <= 5 ms, of a 100-node graph
// with 10 branches too.
//
//===----------------------------------------------------------------------===//

#include "CodeGen/emitter.h"
#include "IR/lower.h"
#include "IR/passes.h"
#include "JIT/compiled_graph.h"
#include "xcs/graph.h"
#include "xcs/ops.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

using namespace xcs;

enum class Shape { Chain, FanOut, Branches };

/// Node \p index of \p shape: an affine, or in every tenth node of the
/// branches shape a cond on a constant predicate (alternately true and
/// false) between two affines.
XCSNode call_node(Shape shape, int index) {
  XCSNode node;
  node.id = "n" + std::to_string(index);
  if (shape != Shape::Branches || index % 10 != 9) {
    node.op = ops::affine(1, 1);
    return node;
  }
  node.op = ops::cond("p", ops::affine(1, 1), ops::affine(2, 0));
  node.constants.push_back(
      ConstantInput{Path::parse("p"), Value(index % 20 == 9)});
  return node;
}

void connect(XCSGraph &graph, const std::string &from, const std::string &to,
             const char *source, const std::string &target) {
  graph.add_edge(
      {from, to, {FieldMapping{Path::parse(source), Path::parse(target)}}});
}

/// A graph of \p calls affine operators in \p shape.
XCSGraph make_graph(Shape shape, int calls) {
  XCSGraph graph(shape == Shape::FanOut ? "fan_out" : "chain");
  std::string previous = "input";
  for (int i = 0; i < calls; ++i) {
    XCSNode node = call_node(shape, i);
    std::string id = node.id;
    graph.add_node(std::move(node));
    if (shape != Shape::FanOut) {
      connect(graph, previous, id, previous == "input" ? "x" : "y", "x");
      previous = id;
    } else {
      connect(graph, "input", id, "x", "x");
      connect(graph, id, "output", "y", "ys[" + std::to_string(i) + "]");
    }
  }
  if (shape != Shape::FanOut)
    connect(graph, previous, "output", "y", "y");
  return graph;
}

/// Benchmarks stop on a failure rather than measure an error path.
template <typename T> T checked(llvm::Expected<T> value) {
  if (!value) {
    std::cerr << llvm::toString(value.takeError()) << "\n";
    std::abort();
  }
  return std::move(*value);
}

/// \p graph lowered and run through the default pipeline.
ir::Module lowered(const XCSGraph &graph, std::vector<OperatorPtr> &table) {
  ir::Module module = checked(ir::lower(graph, table));
  ir::run_default_pipeline(module);
  return module;
}

Shape shape_of(const benchmark::State &state) {
  return static_cast<Shape>(state.range(0));
}

void count_nodes(benchmark::State &state, const ir::Module &module) {
  state.counters["ir_nodes"] =
      static_cast<double>(module.function.nodes.size());
  state.counters["tasks"] = static_cast<double>(module.function.tasks.size());
}

void BM_Lower(benchmark::State &state) {
  XCSGraph graph = make_graph(shape_of(state), state.range(1));
  std::vector<OperatorPtr> table;
  for (auto _ : state)
    benchmark::DoNotOptimize(lowered(graph, table));
  count_nodes(state, lowered(graph, table));
}

void BM_Emit(benchmark::State &state) {
  std::vector<OperatorPtr> table;
  ir::Module module = lowered(make_graph(shape_of(state), state.range(1)),
                              table);
  for (auto _ : state) {
    llvm::LLVMContext context;
    benchmark::DoNotOptimize(checked(codegen::emit(module, context, "bench")));
  }
  count_nodes(state, module);
}

void BM_Compile(benchmark::State &state, OptLevel level) {
  XCSGraph graph = make_graph(shape_of(state), state.range(1));
  std::vector<OperatorPtr> table;
  for (auto _ : state) {
    ir::Module module = lowered(graph, table);
    CompiledGraph compiled = checked(compile(module, table, level));
    state.PauseTiming();
    // Release outside the timing; the next iteration compiles afresh.
    { CompiledGraph released = std::move(compiled); }
    state.ResumeTiming();
  }
  count_nodes(state, lowered(graph, table));
}

void BM_StructuralHit(benchmark::State &state) {
  std::vector<OperatorPtr> table;
  ir::Module module = lowered(make_graph(shape_of(state), state.range(1)),
                              table);
  CompiledGraph live = checked(compile(module, table));
  for (auto _ : state)
    benchmark::DoNotOptimize(checked(compile(module, table)));
  count_nodes(state, module);
}

void sizes(benchmark::internal::Benchmark *benchmark) {
  benchmark->ArgNames({"shape", "calls"});
  for (Shape shape : {Shape::Chain, Shape::FanOut, Shape::Branches})
    for (int calls : {10, 100, 1000})
      benchmark->Args({static_cast<int>(shape), calls});
  benchmark->Unit(benchmark::kMicrosecond);
}

BENCHMARK(BM_Lower)->Apply(sizes);
BENCHMARK(BM_Emit)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Compile, O0, OptLevel::O0)->Apply(sizes);
BENCHMARK_CAPTURE(BM_Compile, O2, OptLevel::O2)->Apply(sizes);
BENCHMARK(BM_StructuralHit)->Apply(sizes);

} // namespace
