//===- jit_bench.cpp - What xcs::jit costs around the plans it runs -------===//
//
// (a) Cache hit. BM_CacheHit/find/<plans>: PlanSet::find hitting the last of
//     <plans> cached plans (so it compares every shape), each guarded by a
//     StateDependency; target <= 100 ns. For context, BM_JitCall/<mode>/1
//     runs one affine operator (a 1-node plan) as a warm jit operator (jit),
//     as its compiled plan without the jit operator around it (compiled),
//     and as a plain operator call (direct).
// (b) First call. BM_FirstCall/<mode>: the ensemble-judge example built
//     afresh every iteration (untimed) and called once: eagerly, or through
//     a new jit operator whose first call traces (or runs symbolically) and
//     compiles. Releasing the operator and its code is not timed.
// (c) Cached call. BM_CachedCall/<mode>/<pipeline>: a warm jit operator
//     against the eager call, for the ensemble -> judge pipeline with
//     trivial members (renames) and for the example (simulated models with
//     no latency).
// (d) Recovery. BM_Diamond/<mode>/<outcome>: the diamond example, warm,
//     on x = 5 (succeeds) and on x = 4e18, where its right branch
//     overflows: a jit operator then recovers the eager outcome from the
//     failed run (docs/jit.md), which the eager failing call does not pay.
//
// (a) measures CPU time: a lookup never waits. (b), (c) and (d) measure
// real time, what a caller waits for (compilation and plans may use
// threads).
// The ratios and the 100 ns target are printed to stderr after the run.
//
//===----------------------------------------------------------------------===//

#include "ratio_report.h"

#include "JIT/jit_cache.h"
#include "JIT/plan_builder.h"
#include "xcs/jit.h"
#include "xcs/ops.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace xcs;

/// x -> y = x + 1 through one affine child, valid while its state signature
/// is unchanged. It accepts extra input fields, so inputs of several shapes
/// reach the same graph.
class Tunable : public Operator, public Composite, public StateDependency {
public:
  Tunable()
      : Operator("Tunable",
                 Specification().input("x").output("y").open_inputs()) {}

  Record forward(const Record &inputs) const override {
    Record call;
    call.set(x_, inputs.at(x_));
    return (*step_)(call);
  }
  std::uint64_t state_signature() const override { return 1; }

private:
  OperatorPtr step_ = ops::affine(1, 1);
  FieldId x_{"x"};
};

/// {x: 1, pad<index>: 0}: one input shape per index.
Record padded_input(int index) {
  return Record{{"x", 1}, {"pad" + std::to_string(index), 0}};
}

/// Aborts unless \p found holds: a benchmark must not measure a miss.
void require(bool found, const char *what) {
  if (found)
    return;
  std::cerr << "jit_bench: " << what << "\n";
  std::abort();
}

/// Runs \p call in the timing loop.
template <typename Call> void time_calls(benchmark::State &state, Call call) {
  for (auto _ : state)
    benchmark::DoNotOptimize(call());
}

void BM_CacheHit_find(benchmark::State &state) {
  auto tunable = std::make_shared<Tunable>();
  int plans = static_cast<int>(state.range(0));
  PlanSet set(plans, 1024);
  for (int i = 0; i < plans; ++i) {
    Record input = padded_input(i);
    BuiltPlan built = build_plan(tunable, input, Strategy::Trace, OptLevel::O0);
    require(!built.guards.empty(), "the plan has no state guard");
    set.insert(std::make_shared<CachedPlan>(
        CachedPlan{shape_of(input), std::move(built.guards),
                   std::move(*built.compiled), built.strategy, ""}));
  }
  Record last = padded_input(plans - 1);
  MissReason miss;
  require(set.find(last, miss) != nullptr, "PlanSet::find missed");
  time_calls(state, [&] { return set.find(last, miss); });
}

enum class CallMode { Jit, Compiled, Direct };

void BM_JitCall(benchmark::State &state, CallMode mode) {
  OperatorPtr leaf = ops::affine(1, 1);
  Record input{{"x", 1}};
  OperatorPtr jitted = jit(leaf);
  (*jitted)(input);
  // Only the compiled graph is kept: a live trace would make every operator
  // call check for untracked calls.
  CompiledGraph compiled = std::move(
      *build_plan(leaf, input, Strategy::Auto, OptLevel::O0).compiled);
  switch (mode) {
  case CallMode::Jit:
    return time_calls(state, [&] { return (*jitted)(input); });
  case CallMode::Compiled:
    return time_calls(state, [&] { return compiled.run(input); });
  case CallMode::Direct:
    return time_calls(state, [&] { return (*leaf)(input); });
  }
}

/// How an operator is called: eagerly, or through xcs::jit with options.
struct Wrap {
  bool jit = false;
  JitOptions options;

  OperatorPtr operator()(OperatorPtr op) const {
    return jit ? xcs::jit(std::move(op), options) : op;
  }
};

Wrap jit_with(Strategy strategy, OptimizationLevel level) {
  Wrap wrap{true, {}};
  wrap.options.strategy = strategy;
  wrap.options.optimization = level;
  return wrap;
}

void BM_FirstCall(benchmark::State &state, Wrap wrap) {
  for (auto _ : state) {
    state.PauseTiming();
    ops::Example example = ops::example("ensemble-judge");
    state.ResumeTiming();
    OperatorPtr op = wrap(example.op);
    benchmark::DoNotOptimize((*op)(example.input));
    state.PauseTiming();
    op.reset();
    example.op.reset();
    state.ResumeTiming();
  }
}

OperatorPtr trivial_pipeline() {
  std::vector<OperatorPtr> members;
  for (int i = 0; i < 3; ++i)
    members.push_back(ops::rename({{"prompt", "response"}}));
  return ops::ensemble_judge(std::move(members));
}

OperatorPtr example_pipeline() { return ops::example("ensemble-judge").op; }

void BM_CachedCall(benchmark::State &state, Wrap wrap,
                   OperatorPtr (*pipeline)()) {
  OperatorPtr op = wrap(pipeline());
  Record input{{"query", "What is the capital of France?"}};
  (*op)(input);
  time_calls(state, [&] { return (*op)(input); });
}

/// The diamond example on {x: \p x} after a first call on {x: 5}; a
/// failing call's exception is caught.
void BM_Diamond(benchmark::State &state, Wrap wrap, std::int64_t x) {
  OperatorPtr op = wrap(ops::example("diamond").op);
  (*op)(Record{{"x", 5}});
  Record input{{"x", x}};
  for (auto _ : state) {
    try {
      benchmark::DoNotOptimize((*op)(input));
    } catch (const std::exception &) {
    }
  }
}

constexpr std::int64_t overflowing_x = 4'000'000'000'000'000'000;

const Wrap eager{};
const Wrap jit_default = jit_with(Strategy::Auto, OptimizationLevel::O0);

BENCHMARK(BM_CacheHit_find)->Name("BM_CacheHit/find")->Arg(1)->Arg(8);
BENCHMARK_CAPTURE(BM_JitCall, jit, CallMode::Jit)->Name("BM_JitCall/jit/1");
BENCHMARK_CAPTURE(BM_JitCall, compiled, CallMode::Compiled)
    ->Name("BM_JitCall/compiled/1");
BENCHMARK_CAPTURE(BM_JitCall, direct, CallMode::Direct)
    ->Name("BM_JitCall/direct/1");

BENCHMARK_CAPTURE(BM_FirstCall, eager, eager)
    ->Name("BM_FirstCall/eager")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FirstCall, jit_auto, jit_default)
    ->Name("BM_FirstCall/jit_auto")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FirstCall, jit_trace,
                  jit_with(Strategy::Trace, OptimizationLevel::O0))
    ->Name("BM_FirstCall/jit_trace")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_FirstCall, jit_auto_o2,
                  jit_with(Strategy::Auto, OptimizationLevel::O2))
    ->Name("BM_FirstCall/jit_auto_o2")
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

BENCHMARK_CAPTURE(BM_CachedCall, jit_trivial, jit_default, trivial_pipeline)
    ->Name("BM_CachedCall/jit/trivial_members")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_CachedCall, eager_trivial, eager, trivial_pipeline)
    ->Name("BM_CachedCall/eager/trivial_members")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_CachedCall, jit_models, jit_default, example_pipeline)
    ->Name("BM_CachedCall/jit/model_members")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_CachedCall, eager_models, eager, example_pipeline)
    ->Name("BM_CachedCall/eager/model_members")
    ->UseRealTime();

BENCHMARK_CAPTURE(BM_Diamond, jit_ok, jit_default, 5)
    ->Name("BM_Diamond/jit/succeeds")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Diamond, eager_ok, eager, 5)
    ->Name("BM_Diamond/eager/succeeds")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Diamond, jit_fails, jit_default, overflowing_x)
    ->Name("BM_Diamond/jit/fails")
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Diamond, eager_fails, eager, overflowing_x)
    ->Name("BM_Diamond/eager/fails")
    ->UseRealTime();

xcs::bench::Summary summary() {
  using xcs::bench::Ratio;
  return {
      {Ratio{"BM_JitCall/jit/1", "BM_JitCall/direct/1", std::nullopt},
       Ratio{"BM_JitCall/jit/1", "BM_JitCall/compiled/1", std::nullopt},
       Ratio{"BM_FirstCall/jit_auto", "BM_FirstCall/eager", std::nullopt},
       Ratio{"BM_FirstCall/jit_trace", "BM_FirstCall/eager", std::nullopt},
       Ratio{"BM_FirstCall/jit_auto_o2", "BM_FirstCall/eager", std::nullopt},
       Ratio{"BM_CachedCall/jit/trivial_members",
             "BM_CachedCall/eager/trivial_members", std::nullopt},
       Ratio{"BM_CachedCall/jit/model_members",
             "BM_CachedCall/eager/model_members", std::nullopt},
       Ratio{"BM_Diamond/jit/succeeds", "BM_Diamond/eager/succeeds",
             std::nullopt},
       Ratio{"BM_Diamond/jit/fails", "BM_Diamond/eager/fails", std::nullopt},
       Ratio{"BM_Diamond/jit/fails", "BM_Diamond/jit/succeeds", std::nullopt}},
      {{"BM_CacheHit/find/1", 100}, {"BM_CacheHit/find/8", 100}}};
}

} // namespace

int main(int argc, char **argv) {
  return xcs::bench::run_with_ratios(argc, argv, summary);
}
