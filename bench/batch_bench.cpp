//===- batch_bench.cpp - A dataset through BatchRunner --------------------===//
//
// BM_Batch/<N>: N items through xcs::BatchRunner, each item two simulated
// 10 ms model calls in parallel, then a 10 ms judge call, with at most 1,024
// calls in flight: the limit of the models' shared endpoint (the calls
// queue for it, as ops::chat_model's calls queue for their endpoint's
// budget), while the runner keeps up to 1,024 items started. Every call is
// ops::model_call, whose latency is a timer: a call in flight holds no
// thread, and the item's pipeline continues from each completion
// (xcs::call_async).
//
// Counters, per run:
//  - efficiency: ideal / wall, ideal = 3 N / 1,024 x 10 ms (every call slot
//    busy all the time);
//  - threads: the most OS threads the process had;
//  - peak_rss_mb: the most resident memory gained during the runs, over
//    what a warm-up run of 4,096 items left (a window of items in flight
//    and the allocator's pools, which any run needs);
//  - bytes_per_item: that over N. Items are generated as the runner asks
//    for them and results are dropped as they come, so memory stays flat
//    as N grows (compare N = 10,000 and N = 100,000).
// Target (2-core development machine): efficiency >= 0.9; peak_rss_mb the
// same at both sizes. An asyncio harness doing the same here reaches 0.45.
//
// BM_BatchJit/<N>: the same items, the pipeline written as a user writes
// it, a composite of the three calls (each taking a slot of the same
// 1,024) compiled with xcs::jit: its plan runs detached, holding no thread
// while its calls wait. Compare its efficiency with BM_Batch's, a
// hand-written asynchronous operator, measured in the same run.
//
// BM_Vmap/<N>: one call of xcs::vmap over N prompts of one 10 ms model
// call each, every element in flight at once: efficiency = 10 ms / wall,
// and threads as above (the calls are timers, so no thread per element).
//
//===----------------------------------------------------------------------===//

#include "xcs/async.h"
#include "xcs/batch.h"
#include "xcs/jit.h"
#include "xcs/ops.h"
#include "xcs/vmap.h"

#include "process_sampler.h"

#include <benchmark/benchmark.h>

#include <chrono>
#include <deque>
#include <mutex>

namespace {

using namespace xcs;
using Clock = std::chrono::steady_clock;

constexpr std::size_t call_slots = 1024;
constexpr std::chrono::milliseconds call_latency{10};

/// A provider's concurrency limit: at most `slots` calls of the operators
/// sharing it in flight, the others queued in order of arrival.
class CallSlots {
public:
  explicit CallSlots(std::size_t slots) : free_(slots) {}

  /// Calls \p op on \p inputs when a slot is free; \p done gets the outcome.
  void call(const Operator &op, Record inputs,
            std::function<void(CallOutcome)> done) {
    {
      std::lock_guard lock(mutex_);
      if (free_ == 0) {
        waiting_.push_back({&op, std::move(inputs), std::move(done)});
        return;
      }
      --free_;
    }
    start({&op, std::move(inputs), std::move(done)});
  }

private:
  struct Pending {
    const Operator *op;
    Record inputs;
    std::function<void(CallOutcome)> done;
  };

  void start(Pending pending) {
    call_async(*pending.op, pending.inputs,
               [this, done = std::move(pending.done)](CallOutcome outcome) {
                 release();
                 done(std::move(outcome));
               });
  }

  /// A call ended: its slot goes to the first waiting call, if any.
  void release() {
    Pending next;
    {
      std::lock_guard lock(mutex_);
      if (waiting_.empty()) {
        ++free_;
        return;
      }
      next = std::move(waiting_.front());
      waiting_.pop_front();
    }
    start(std::move(next));
  }

  std::mutex mutex_;
  std::size_t free_;
  std::deque<Pending> waiting_;
};

/// {prompt} -> {answer}: two members answer the prompt at once, then a
/// judge call reads both answers. Asynchronous: it continues from its
/// calls' completions.
class PairThenJudge final : public AsyncOperator {
public:
  PairThenJudge(CallSlots &slots, OperatorPtr a, OperatorPtr b,
                OperatorPtr judge)
      : AsyncOperator("PairThenJudge", Specification()
                                           .input("prompt", Kind::String)
                                           .output("answer", Kind::String)),
        slots_(slots), a_(std::move(a)), b_(std::move(b)),
        judge_(std::move(judge)) {}

  void start(const Record &in, Completion done) const override {
    struct Item {
      explicit Item(Completion d) : done(std::move(d)) {}
      Completion done;
      std::mutex mutex;
      int waiting = 2;
      std::string answers;
      std::exception_ptr error;
    };
    auto item = std::make_shared<Item>(std::move(done));
    auto member_done = [this, item](CallOutcome outcome) {
      {
        std::lock_guard lock(item->mutex);
        if (outcome.error)
          item->error = outcome.error;
        else
          item->answers +=
              std::string(outcome.outputs->at("response").as_string()) + ";";
        if (--item->waiting != 0)
          return;
      }
      if (item->error)
        return item->done.fail(item->error);
      slots_.call(*judge_, Record{{"prompt", item->answers}},
                  [item](CallOutcome verdict) {
                    if (verdict.error)
                      return item->done.fail(verdict.error);
                    item->done.complete(
                        Record{{"answer", verdict.outputs->at("response")}});
                  });
    };
    slots_.call(*a_, in, member_done);
    slots_.call(*b_, in, member_done);
  }

private:
  CallSlots &slots_;
  OperatorPtr a_, b_, judge_;
};

/// \p op's call, made once one of \p slots is free.
class Slotted final : public AsyncOperator, public StructureDependency {
public:
  Slotted(CallSlots &slots, OperatorPtr op)
      : AsyncOperator(op->name(), op->spec()), slots_(slots),
        op_(std::move(op)) {}
  void start(const Record &in, Completion done) const override {
    auto call = std::make_shared<Completion>(std::move(done));
    slots_.call(*op_, in, [call](CallOutcome outcome) {
      if (outcome.error)
        return call->fail(outcome.error);
      call->complete(std::move(*outcome.outputs));
    });
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("response"), {FieldId("prompt")}}};
  }

private:
  CallSlots &slots_;
  OperatorPtr op_;
};

/// {a, b} -> {response}: the judge's call on both answers.
class JudgePair final : public AsyncOperator, public StructureDependency {
public:
  explicit JudgePair(OperatorPtr judge)
      : AsyncOperator("JudgePair", Specification()
                                       .input("a", Kind::String)
                                       .input("b", Kind::String)
                                       .output("response", Kind::String)),
        judge_(std::move(judge)) {}
  void start(const Record &in, Completion done) const override {
    auto call = std::make_shared<Completion>(std::move(done));
    std::string prompt = std::string(in.at("a").as_string()) + ";" +
                         std::string(in.at("b").as_string());
    call_async(*judge_, Record{{"prompt", prompt}}, [call](CallOutcome outcome) {
      if (outcome.error)
        return call->fail(outcome.error);
      call->complete(std::move(*outcome.outputs));
    });
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("response"), {FieldId("a"), FieldId("b")}}};
  }

private:
  OperatorPtr judge_;
};

/// N prompts, made as the runner asks for them.
class Prompts final : public BatchSource {
public:
  explicit Prompts(std::uint64_t n) : n_(n) {}
  std::optional<BatchItem> next() override {
    if (next_ == n_)
      return std::nullopt;
    std::uint64_t i = next_++;
    return BatchItem{i, Record{{"prompt", "question " + std::to_string(i)}},
                     nullptr};
  }
  std::optional<std::uint64_t> total() const override { return n_; }

private:
  std::uint64_t n_;
  std::uint64_t next_ = 0;
};

OperatorPtr model(std::string name, std::uint64_t seed) {
  ops::ModelCallOptions o;
  o.name = std::move(name);
  o.seed = seed;
  o.vocabulary = 3;
  o.latency = call_latency;
  return ops::model_call(o);
}

/// Runs \p item over N = state.range(0) items and reports the counters
/// of the file comment.
void run_batch(benchmark::State &state, OperatorPtr item) {
  auto n = static_cast<std::uint64_t>(state.range(0));
  BatchOptions options;
  options.max_in_flight = call_slots;
  BatchRunner runner(item, options);
  // A warm-up of a few windows' worth of items: the memory a run needs
  // whatever its length (a window of items, the allocator's pools) is
  // there before the sampler starts, so what it sees is what grows with N.
  Prompts warm_up(4 * call_slots);
  runner.run(warm_up, [](BatchOutcome) {});
  bench::ProcessSampler sampler;
  double total_wall_s = 0;
  std::uint64_t failed = 0;
  for (auto _ : state) {
    Prompts source(n);
    Clock::time_point start = Clock::now();
    BatchSummary summary = runner.run(source, [](BatchOutcome outcome) {
      benchmark::DoNotOptimize(outcome);
    });
    double wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    state.SetIterationTime(wall_s);
    total_wall_s += wall_s;
    failed += summary.progress.failed;
  }
  double wall_s = total_wall_s / static_cast<double>(state.iterations());
  double ideal_s = 3.0 * static_cast<double>(n) / call_slots *
                   std::chrono::duration<double>(call_latency).count();
  state.counters["efficiency"] = ideal_s / wall_s;
  state.counters["ideal_ms"] = ideal_s * 1e3;
  state.counters["threads"] = static_cast<double>(sampler.peak_threads());
  state.counters["peak_rss_mb"] =
      static_cast<double>(sampler.rss_gain_bytes()) / (1 << 20);
  state.counters["bytes_per_item"] =
      static_cast<double>(sampler.rss_gain_bytes()) / static_cast<double>(n);
  if (failed != 0)
    state.SkipWithError("items failed");
}

void BM_Batch(benchmark::State &state) {
  CallSlots slots(call_slots);
  run_batch(state, std::make_shared<PairThenJudge>(
                       slots, model("A", 1), model("B", 2), model("Judge", 3)));
}

BENCHMARK(BM_Batch)
    ->Arg(10'000)
    ->Arg(100'000)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

void BM_BatchJit(benchmark::State &state) {
  CallSlots slots(call_slots);
  auto a = std::make_shared<Slotted>(slots, model("A", 1));
  auto b = std::make_shared<Slotted>(slots, model("B", 2));
  auto judge =
      std::make_shared<JudgePair>(std::make_shared<Slotted>(slots, model("Judge", 3)));
  OperatorPtr pipeline = ops::composite(
      "PairThenJudge",
      Specification().input("prompt", Kind::String).output("answer", Kind::String),
      [=](const Record &in) {
        Record first = (*a)(in);
        Record second = (*b)(in);
        Record verdict = (*judge)(Record{{"a", first.at("response")},
                                         {"b", second.at("response")}});
        return Record{{"answer", verdict.at("response")}};
      });
  run_batch(state, jit(pipeline));
}

BENCHMARK(BM_BatchJit)
    ->Arg(10'000)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);

void BM_Vmap(benchmark::State &state) {
  auto n = static_cast<std::size_t>(state.range(0));
  OperatorPtr mapped = vmap(model("M", 1), {"prompt"});
  std::vector<Value> prompts;
  for (std::size_t i = 0; i < n; ++i)
    prompts.push_back(Value("question " + std::to_string(i)));
  Record input{{"prompt", Value::list(std::move(prompts))}};
  (*mapped)(input); // warm-up: pools, the timer thread
  bench::ProcessSampler sampler;
  double total_wall_s = 0;
  for (auto _ : state) {
    Clock::time_point start = Clock::now();
    benchmark::DoNotOptimize((*mapped)(input));
    double wall_s = std::chrono::duration<double>(Clock::now() - start).count();
    state.SetIterationTime(wall_s);
    total_wall_s += wall_s;
  }
  double wall_s = total_wall_s / static_cast<double>(state.iterations());
  state.counters["efficiency"] =
      std::chrono::duration<double>(call_latency).count() / wall_s;
  state.counters["threads"] = static_cast<double>(sampler.peak_threads());
}

BENCHMARK(BM_Vmap)
    ->Arg(1'000)
    ->Arg(10'000)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

} // namespace

BENCHMARK_MAIN();
