//===- trace_bench.cpp - Cost of tracing and of building graphs -----------===//
//
// BM_Chain/untraced and BM_Chain/traced run the same chain of 100 trivial
// operators; their difference divided by 100 is the tracing overhead per
// call. BM_BuildGraph builds the graph of a 1,000-call trace.
//
//===----------------------------------------------------------------------===//

#include "xcs/graph_builder.h"
#include "xcs/ops.h"
#include "xcs/trace.h"

#include <benchmark/benchmark.h>

namespace {

using namespace xcs;

/// A composite calling \p length trivial increments in a row.
OperatorPtr chain(int length) {
  std::vector<OperatorPtr> steps;
  for (int i = 0; i < length; ++i)
    steps.push_back(ops::affine(1, 1, "x", "x"));
  return ops::sequence("Chain", std::move(steps));
}

void BM_Chain_untraced(benchmark::State &state) {
  OperatorPtr op = chain(static_cast<int>(state.range(0)));
  Record input{{"x", 0}};
  for (auto _ : state)
    benchmark::DoNotOptimize((*op)(input));
  state.counters["per_call_ns"] = benchmark::Counter(
      static_cast<double>(state.iterations() * (state.range(0) + 1)),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_Chain_traced(benchmark::State &state) {
  OperatorPtr op = chain(static_cast<int>(state.range(0)));
  Record input{{"x", 0}};
  for (auto _ : state)
    benchmark::DoNotOptimize(trace(*op, input));
  state.counters["per_call_ns"] = benchmark::Counter(
      static_cast<double>(state.iterations() * (state.range(0) + 1)),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

void BM_BuildGraph(benchmark::State &state) {
  OperatorPtr op = chain(static_cast<int>(state.range(0)));
  Trace traced = trace(*op, Record{{"x", 0}});
  for (auto _ : state)
    benchmark::DoNotOptimize(AutoGraphBuilder().build(traced, "chain"));
}

BENCHMARK(BM_Chain_untraced)->Name("BM_Chain/untraced")->Arg(100);
BENCHMARK(BM_Chain_traced)->Name("BM_Chain/traced")->Arg(100);
BENCHMARK(BM_BuildGraph)->Arg(1000)->Unit(benchmark::kMillisecond);

} // namespace
