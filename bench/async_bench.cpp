//===- async_bench.cpp - Thousands of model calls on a few threads --------===//
//
// BM_Ensemble/<form>/<W>/<latency>: an ensemble of W simulated model calls
// of the given latency, then a judge, as one cached jit call (structural
// plan, default workers). Forms:
//  - async: ops::model_call, whose latency is a timer: calls in flight hold
//    no thread;
//  - blocking: the same call written as a plain operator that sleeps, with
//    64 workers: each call in flight holds a thread (the old way).
// Counters, per iteration (one call of the pipeline):
//  - efficiency: latency / wall, the critical path over what the call took;
//  - overhead_ns_per_call: (wall - latency) / W;
//  - threads: the most OS threads the process had during the runs;
//  - bytes_per_call: the most resident memory gained during a run, over W.
// Targets (on the 2-core development machine): efficiency >= 0.9 at
// W = 1,024 (10 ms) and >= 0.95 at W = 10,000 (100 ms); overhead <= 500 ns
// a call; threads <= 8; bytes_per_call <= 4,096.
//
//===----------------------------------------------------------------------===//

#include "xcs/jit.h"
#include "xcs/ops.h"

#include "process_sampler.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

namespace {

using namespace xcs;
using Clock = std::chrono::steady_clock;

/// The blocking form of a model call: a declared leaf whose forward sleeps.
class BlockingModel : public Operator, public StructureDependency {
public:
  explicit BlockingModel(std::chrono::microseconds latency)
      : Operator("Blocking", Specification()
                                 .input("prompt", Kind::String)
                                 .output("response", Kind::String)),
        latency_(latency) {}
  Record forward(const Record &inputs) const override {
    std::this_thread::sleep_for(latency_);
    return Record{{"response", inputs.at("prompt")}};
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("response"), {FieldId("prompt")}}};
  }

private:
  std::chrono::microseconds latency_;
};

enum class Form { Async, Blocking };

void BM_Ensemble(benchmark::State &state, Form form) {
  auto width = static_cast<int>(state.range(0));
  std::chrono::milliseconds latency(state.range(1));
  std::vector<OperatorPtr> members;
  for (int i = 0; i < width; ++i) {
    ops::ModelCallOptions model;
    model.name = "M" + std::to_string(i);
    model.seed = static_cast<std::uint64_t>(i);
    model.latency = latency;
    model.vocabulary = 3;
    members.push_back(
        form == Form::Async
            ? OperatorPtr(ops::model_call(std::move(model)))
            : OperatorPtr(std::make_shared<BlockingModel>(latency)));
  }
  JitOptions options{.strategy = Strategy::Structural};
  if (form == Form::Blocking)
    options.workers = 64;
  OperatorPtr op = jit(ops::ensemble_judge(std::move(members)), options);
  Record input{{"query", "What is the capital of France?"}};
  (*op)(input);
  bench::ProcessSampler sampler;
  double total_wall_s = 0;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    benchmark::DoNotOptimize((*op)(input));
    double wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    state.SetIterationTime(wall_s);
    total_wall_s += wall_s;
  }
  double wall_s = total_wall_s / static_cast<double>(state.iterations());
  double latency_s = std::chrono::duration<double>(latency).count();
  state.counters["efficiency"] = latency_s / wall_s;
  state.counters["overhead_ns_per_call"] = (wall_s - latency_s) * 1e9 / width;
  state.counters["threads"] = static_cast<double>(sampler.peak_threads());
  state.counters["bytes_per_call"] =
      static_cast<double>(sampler.rss_gain_bytes()) / width;
}

BENCHMARK_CAPTURE(BM_Ensemble, async, Form::Async)
    ->Name("BM_Ensemble/async")
    ->Args({64, 10})
    ->Args({1024, 10})
    ->Args({10000, 100})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);
BENCHMARK_CAPTURE(BM_Ensemble, blocking, Form::Blocking)
    ->Name("BM_Ensemble/blocking64")
    ->Args({64, 10})
    ->Args({1024, 10})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->MinTime(1.0);

} // namespace

BENCHMARK_MAIN();
