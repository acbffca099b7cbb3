//===- parallel_bench.cpp - The parallel executor against its targets -----===//
//
// Every benchmark measures real time: the point is what the caller waits.
//
//  BM_Idle/cpu            the process's CPU time over one second while the
//                         executor's 63 workers are at rest (counter
//                         cpu_ms_per_s; target near zero).
//  BM_Ensemble/<way>/W    W simulated model calls of 10 ms, then a judge of
//                         10 ms: through xcs::jit (compiled), called directly
//                         (eager), and as a oneTBB flow graph calling the
//                         same operators with the same thread budget (tbb).
//                         BM_CriticalPath sleeps the 20 ms critical path
//                         the same way, sleep overshoot included. Target:
//                         critical path / compiled >= 0.95 at W = 64, and
//                         compiled ahead of tbb.
//  BM_Branches/<workers>  two independent CPU-bound branches with 1 and 2
//                         workers. Target: >= 1.8x with 2 on 2 free cores.
//  BM_Diamond/<way>       a 4-node diamond of trivial operators: compiled
//                         as the executor chooses (compiled), on one thread
//                         (serial), forced through the parallel path
//                         (parallel, 2 workers), and as a oneTBB flow graph
//                         of continue_nodes (tbb). Target: compiled <= 1 us
//                         and below tbb.
//
// The ratios and limits are printed to stderr after the run. Without oneTBB
// (an optional, benchmark-only dependency) the tbb benchmarks are skipped.
//
//===----------------------------------------------------------------------===//

#include "ratio_report.h"

#include "JIT/plan_builder.h"
#include "Runtime/executor.h"
#include "xcs/jit.h"
#include "xcs/ops.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <thread>

#ifdef XCS_HAVE_TBB
#include <oneapi/tbb/flow_graph.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/task_arena.h>
#endif

namespace {

using namespace xcs;
using namespace std::chrono_literals;

constexpr auto call_latency = 10ms;
/// The executor's default, given to oneTBB too.
constexpr unsigned thread_budget = runtime::Executor::builtin_default_workers;

/// The first call's result must be the eager one: a benchmark of a wrong
/// plan measures nothing.
void check(const Record &got, const Record &expected, const char *what) {
  if (got == expected)
    return;
  std::fprintf(stderr, "%s computed %s, expected %s\n", what,
               got.to_string().c_str(), expected.to_string().c_str());
  std::abort();
}

std::chrono::nanoseconds process_cpu_time() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) +
         std::chrono::nanoseconds(now.tv_nsec);
}

/// {query, responses} -> {answer: the query and the most common
/// response}, after a model call's latency. Computes its answer itself:
/// an operator called from its forward would be traced through.
OperatorPtr slow_judge() {
  return ops::function(
      "SlowJudge",
      Specification()
          .input("query", Kind::String)
          .input("responses", Kind::List)
          .output("answer", Kind::String),
      [](const Record &in) {
        std::this_thread::sleep_for(call_latency);
        std::map<std::string, int> votes;
        for (const Value &response : in.at("responses").as_list())
          ++votes[std::string(response.as_string())];
        auto best = std::max_element(
            votes.begin(), votes.end(),
            [](const auto &a, const auto &b) { return a.second < b.second; });
        return Record{{"answer", std::string(in.at("query").as_string()) +
                                     " => " + best->first}};
      });
}

/// W model calls on the query, then the judge, and its jit plan.
struct Panel {
  std::vector<OperatorPtr> members;
  OperatorPtr judge = slow_judge();
  OperatorPtr op;
  OperatorPtr plan;

  explicit Panel(int width) {
    for (int i = 0; i < width; ++i) {
      ops::ModelCallOptions options;
      options.name = "Member" + std::to_string(i);
      options.seed = static_cast<std::uint64_t>(i);
      options.latency = call_latency;
      options.vocabulary = 3;
      members.push_back(ops::model_call(std::move(options)));
    }
    OperatorPtr ensemble = ops::ensemble(members);
    OperatorPtr judge_op = judge;
    op = ops::composite(
        "Panel",
        Specification()
            .input("query", Kind::String)
            .output("answer", Kind::String),
        [ensemble, judge_op](const Record &in) {
          Record votes = (*ensemble)(Record{{"prompt", in.at("query")}});
          return (*judge_op)(Record{{"query", in.at("query")},
                                    {"responses", votes.at("responses")}});
        });
    plan = jit(op, {.workers = thread_budget});
  }
};

const Record panel_input{{"query", "what is the answer?"}};

/// A panel of \p width whose plan is built and checked: every benchmark of
/// that width shares it.
std::shared_ptr<const Panel> prepared_panel(int width) {
  auto panel = std::make_shared<const Panel>(width);
  check((*panel->plan)(panel_input), (*panel->op)(panel_input),
        "the jit panel");
  return panel;
}

void ensemble_compiled(benchmark::State &state, const Panel &panel) {
  for (auto _ : state)
    benchmark::DoNotOptimize((*panel.plan)(panel_input));
}

void ensemble_eager(benchmark::State &state, const Panel &panel) {
  for (auto _ : state)
    benchmark::DoNotOptimize((*panel.op)(panel_input));
}

/// The two sleeps of the critical path, as the operators sleep.
void critical_path(benchmark::State &state) {
  for (auto _ : state) {
    std::this_thread::sleep_for(call_latency);
    std::this_thread::sleep_for(call_latency);
  }
}

/// {x} -> {y}: a few milliseconds of arithmetic, seeded by x.
OperatorPtr spin(std::string name) {
  return ops::function(
      std::move(name),
      Specification().input("x", Kind::Int).output("y", Kind::Int),
      [](const Record &in) {
        std::uint64_t h = in.at("x").as_int();
        for (int i = 0; i < 4'000'000; ++i)
          h = h * 6364136223846793005ULL + 1442695040888963407ULL;
        return Record{{"y", static_cast<std::int64_t>(h >> 1)}};
      });
}

void branches(benchmark::State &state, unsigned workers) {
  OperatorPtr left = spin("Left");
  OperatorPtr right = spin("Right");
  OperatorPtr add = ops::binary(ops::BinaryOp::Add);
  OperatorPtr both = ops::composite(
      "Branches", Specification().input("x", Kind::Int).output("y", Kind::Int),
      [=](const Record &in) {
        return (*add)(
            Record{{"a", (*left)(in).at("y")}, {"b", (*right)(in).at("y")}});
      });
  OperatorPtr plan = jit(both, {.workers = workers});
  Record input{{"x", 3}};
  check((*plan)(input), (*both)(input), "the jit branches");
  for (auto _ : state)
    benchmark::DoNotOptimize((*plan)(input));
}

/// split -> left, right -> merge, as dispatch_bench's diamond.
struct Diamond {
  OperatorPtr split = ops::identity({"x"});
  OperatorPtr left = ops::affine(2, 5);
  OperatorPtr right = ops::affine(3, -2);
  OperatorPtr merge = ops::binary(ops::BinaryOp::Add, "a", "b", "sum");
  OperatorPtr op = ops::composite(
      "Diamond", Specification().input("x", Kind::Int).output("sum", Kind::Int),
      [this](const Record &in) { return run(in); });
  Record input{{"x", 1}};

  Record run(const Record &in) const {
    Record shared = (*split)(in);
    return (*merge)(Record{{"a", (*left)(shared).at("y")},
                           {"b", (*right)(shared).at("y")}});
  }
};

void diamond_compiled(benchmark::State &state, runtime::RunOptions options) {
  Diamond diamond;
  BuiltPlan built =
      build_plan(diamond.op, diamond.input, Strategy::Trace, OptLevel::O0);
  const CompiledGraph &plan = *built.compiled;
  check(plan.run(diamond.input, options), diamond.run(diamond.input),
        "the compiled diamond");
  for (auto _ : state)
    benchmark::DoNotOptimize(plan.run(diamond.input, options));
}

void idle_cpu(benchmark::State &state, const Panel &wide) {
  // Starts the 63 helpers of a 64-worker run, all of which then rest.
  OperatorPtr plan = jit(ops::ensemble(wide.members), {.workers = 64});
  (*plan)(Record{{"prompt", "wake everyone"}});
  for (auto _ : state) {
    std::chrono::nanoseconds before = process_cpu_time();
    std::this_thread::sleep_for(1s);
    state.counters["cpu_ms_per_s"] =
        std::chrono::duration<double, std::milli>(process_cpu_time() - before)
            .count();
  }
}

#ifdef XCS_HAVE_TBB
namespace flow = oneapi::tbb::flow;
using Node = flow::continue_node<flow::continue_msg>;

/// Runs \p body inside an arena of the executor's thread budget.
template <typename Body> void in_arena(Body &&body) {
  oneapi::tbb::global_control parallelism(
      oneapi::tbb::global_control::max_allowed_parallelism, thread_budget);
  oneapi::tbb::task_arena arena(static_cast<int>(thread_budget));
  arena.execute(body);
}

/// The panel as a flow graph: one node per member, all after the start,
/// and the judge after them all. Values pass through the captured slots.
void ensemble_tbb(benchmark::State &state, const Panel &panel) {
  in_arena([&] {
    flow::graph graph;
    flow::broadcast_node<flow::continue_msg> start(graph);
    std::vector<Value> responses(panel.members.size());
    Record answer;
    std::vector<std::unique_ptr<Node>> members;
    Node judge(graph, [&](flow::continue_msg) {
      answer = (*panel.judge)(Record{{"query", panel_input.at("query")},
                                     {"responses", Value::list(responses)}});
    });
    for (std::size_t i = 0; i < panel.members.size(); ++i) {
      members.push_back(
          std::make_unique<Node>(graph, [&, i](flow::continue_msg) {
            responses[i] =
                (*panel.members[i])(Record{{"prompt", panel_input.at("query")}})
                    .at("response");
          }));
      flow::make_edge(start, *members.back());
      flow::make_edge(*members.back(), judge);
    }
    auto run = [&] {
      start.try_put(flow::continue_msg());
      graph.wait_for_all();
    };
    run();
    check(answer, (*panel.op)(panel_input), "the tbb panel");
    for (auto _ : state)
      run();
  });
}

void diamond_tbb(benchmark::State &state) {
  Diamond diamond;
  in_arena([&] {
    flow::graph graph;
    Record shared, left, right, sum;
    Node split(graph, [&](flow::continue_msg) {
      shared = (*diamond.split)(diamond.input);
    });
    Node left_node(graph,
                   [&](flow::continue_msg) { left = (*diamond.left)(shared); });
    Node right_node(
        graph, [&](flow::continue_msg) { right = (*diamond.right)(shared); });
    Node merge(graph, [&](flow::continue_msg) {
      sum = (*diamond.merge)(Record{{"a", left.at("y")}, {"b", right.at("y")}});
    });
    flow::make_edge(split, left_node);
    flow::make_edge(split, right_node);
    flow::make_edge(left_node, merge);
    flow::make_edge(right_node, merge);
    auto run = [&] {
      split.try_put(flow::continue_msg());
      graph.wait_for_all();
    };
    run();
    check(sum, diamond.run(diamond.input), "the tbb diamond");
    for (auto _ : state)
      run();
  });
}
#endif

std::string ensemble_name(const char *way, int width) {
  return std::string("BM_Ensemble/") + way + "/" + std::to_string(width);
}

xcs::bench::Summary register_all() {
  xcs::bench::Summary summary;
  std::map<int, std::shared_ptr<const Panel>> panels;
  for (int width : {2, 8, 32, 64})
    panels[width] = prepared_panel(width);
  benchmark::RegisterBenchmark("BM_Idle/cpu", idle_cpu, *panels[64])
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_CriticalPath", critical_path)
      ->UseRealTime()
      ->Unit(benchmark::kMillisecond);
  for (const auto &[width, panel] : panels) {
    std::string compiled = ensemble_name("compiled", width);
    std::string eager = ensemble_name("eager", width);
    benchmark::RegisterBenchmark(compiled.c_str(), ensemble_compiled, *panel)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark(eager.c_str(), ensemble_eager, *panel)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    // critical path / wall >= 0.95 is wall / critical path <= 1 / 0.95.
    summary.ratios.push_back(
        {compiled, "BM_CriticalPath",
         width == 64 ? std::optional(1 / 0.95) : std::nullopt});
    summary.ratios.push_back({compiled, eager, std::nullopt});
#ifdef XCS_HAVE_TBB
    std::string tbb = ensemble_name("tbb", width);
    benchmark::RegisterBenchmark(tbb.c_str(), ensemble_tbb, *panel)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
    summary.ratios.push_back({compiled, tbb, 1.0});
#endif
  }
  for (unsigned workers : {1u, 2u})
    benchmark::RegisterBenchmark(
        ("BM_Branches/" + std::to_string(workers)).c_str(), branches, workers)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond);
  summary.ratios.push_back({"BM_Branches/2", "BM_Branches/1", 1 / 1.8});

  benchmark::RegisterBenchmark("BM_Diamond/compiled", diamond_compiled,
                               runtime::RunOptions{})
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_Diamond/serial", diamond_compiled,
                               runtime::RunOptions{.workers = 1})
      ->UseRealTime();
  benchmark::RegisterBenchmark(
      "BM_Diamond/parallel", diamond_compiled,
      runtime::RunOptions{.workers = 2, .serial_below = 0ns})
      ->UseRealTime();
  summary.limits.push_back({"BM_Diamond/compiled", 1000});
  summary.ratios.push_back(
      {"BM_Diamond/compiled", "BM_Diamond/serial", std::nullopt});
#ifdef XCS_HAVE_TBB
  benchmark::RegisterBenchmark("BM_Diamond/tbb", diamond_tbb)->UseRealTime();
  summary.ratios.push_back({"BM_Diamond/compiled", "BM_Diamond/tbb", 1.0});
  summary.ratios.push_back(
      {"BM_Diamond/parallel", "BM_Diamond/tbb", std::nullopt});
#else
  std::fprintf(stderr, "parallel_bench: built without oneTBB, so the tbb "
                       "benchmarks are skipped\n");
#endif
  return summary;
}

} // namespace

int main(int argc, char **argv) {
  return xcs::bench::run_with_ratios(argc, argv, register_all);
}
