//===- executor_test.cpp - Compiled plans under the parallel executor -----===//
//
// Concurrency is proven by rendezvous, never by timing: members that wait
// on a barrier of N parties return only if N of them run at once. Most runs
// here pass serial_below = 0, so that even trivial tasks go through the
// parallel path rather than the serial one cheap plans settle on.
//
//===----------------------------------------------------------------------===//

#include "JIT/compiled_graph.h"
#include "Runtime/executor.h"
#include "jit_test_util.h"
#include "plan_text.h"
#include "rendezvous.h"
#include "xcs/error.h"
#include "xcs/jit.h"
#include "xcs/ops.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

namespace xcs {
namespace {

using runtime::RunOptions;
using test::compiled;
using test::scheduled;

/// Up to \p workers threads, however cheap the tasks.
RunOptions parallel(unsigned workers, runtime::Executor *executor = nullptr) {
  return {.workers = workers,
          .serial_below = std::chrono::nanoseconds(0),
          .executor = executor};
}

/// {r} -> {r}, running \p body first.
OperatorPtr member(std::string name, std::function<void()> body) {
  return ops::function(std::move(name), Specification().input("r").output("r"),
                       [body](const Record &in) {
                         body();
                         return Record{{"r", in.at("r")}};
                       });
}

/// The operators of wide_plan(count), each running \p body.
std::vector<OperatorPtr> members(int count, const std::function<void()> &body) {
  std::vector<OperatorPtr> table;
  for (int i = 0; i < count; ++i)
    table.push_back(member("M" + std::to_string(i), body));
  return table;
}

/// Waits on \p barrier; a timeout fails the member, and so the run.
void meet(test::TimedBarrier &barrier) {
  if (!barrier.arrive_and_wait())
    throw std::runtime_error("the barrier timed out");
}

Record wide_result(std::int64_t r, int members) {
  return Record{{"out", Value::list(std::vector<Value>(members, Value(r)))}};
}

TEST(ExecutorTest, FiftyMembersWaitingOnOneBarrierAllRunAtOnce) {
  test::TimedBarrier barrier(50);
  std::optional<CompiledGraph> plan = compiled(
      scheduled(test::wide_plan(50)), members(50, [&] { meet(barrier); }));
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->run({{"r", 7}}, {.workers = 64}), wide_result(7, 50));
}

/// The parameter is the run's worker count, the caller included.
class WorkerLimitTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(WorkerLimitTest, NoMoreMembersRunAtOnceThanWorkers) {
  unsigned workers = GetParam();
  // Six members meet in rounds of `workers`: the count is reached.
  test::TimedBarrier barrier(static_cast<int>(workers));
  test::Occupancy busy;
  std::optional<CompiledGraph> plan =
      compiled(scheduled(test::wide_plan(6)), members(6, [&] {
                 busy.enter();
                 meet(barrier);
                 busy.leave();
               }));
  ASSERT_TRUE(plan);
  for (int r = 0; r < 20; ++r)
    EXPECT_EQ(plan->run({{"r", r}}, parallel(workers)), wide_result(r, 6));
  EXPECT_EQ(busy.peak(), static_cast<int>(workers));
}

INSTANTIATE_TEST_SUITE_P(Workers, WorkerLimitTest, ::testing::Values(2u, 3u));

/// Operators that check, whenever they run, that each of their producers
/// has finished in the same run. The run number travels as r.
class OrderProbe {
public:
  explicit OrderProbe(std::size_t nodes) : finished_(nodes) {
    for (std::atomic<std::int64_t> &run : finished_)
      run = -1;
  }

  /// Node \p self of the plan, whose producers are \p producers.
  OperatorPtr node(int self, std::vector<int> producers) {
    Specification spec = Specification().input("r").output("r");
    if (producers.size() == 2)
      spec.input("q");
    return ops::function(
        "N" + std::to_string(self), spec,
        [this, self, producers](const Record &in) {
          std::int64_t run = in.at("r").as_int();
          for (int producer : producers)
            if (finished_[producer].load(std::memory_order_acquire) != run)
              ++violations_;
          finished_[self].store(run, std::memory_order_release);
          return Record{{"r", run}};
        });
  }
  int violations() const { return violations_.load(); }

private:
  std::vector<std::atomic<std::int64_t>> finished_;
  std::atomic<int> violations_{0};
};

struct PlanShape {
  std::string_view name;
  std::string_view text;
  /// The producers of each operator, by operator table index.
  std::vector<std::vector<int>> producers;
};

class OrderTest : public ::testing::TestWithParam<PlanShape> {};

TEST_P(OrderTest, EveryNodeRunsAfterItsProducersInEachOfTenThousandRuns) {
  const PlanShape &shape = GetParam();
  OrderProbe probe(shape.producers.size());
  std::vector<OperatorPtr> table;
  for (std::size_t i = 0; i < shape.producers.size(); ++i)
    table.push_back(probe.node(static_cast<int>(i), shape.producers[i]));
  std::optional<CompiledGraph> plan = compiled(scheduled(shape.text), table);
  ASSERT_TRUE(plan);
  for (int r = 0; r < 10000; ++r)
    ASSERT_EQ(plan->run({{"r", r}}, parallel(4)), (Record{{"out", r}}));
  EXPECT_EQ(probe.violations(), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, OrderTest,
    ::testing::Values(
        PlanShape{"Diamond", test::diamond_plan, {{}, {0}, {0}, {1, 2}}},
        PlanShape{"Layered",
                  test::layered_plan,
                  {{}, {0}, {0}, {0}, {1, 2}, {2, 3}, {4, 5}}}),
    [](const auto &info) { return std::string(info.param.name); });

/// {r, q?} -> {r: f(r, q)}, counting calls.
test::Counted
arithmetic(std::string name, bool merge,
           std::function<std::int64_t(std::int64_t, std::int64_t)> f) {
  Specification spec = Specification().input("r").output("r");
  if (merge)
    spec.input("q");
  return test::counted(std::move(name), spec, [merge, f](const Record &in) {
    std::int64_t q = merge ? in.at("q").as_int() : 0;
    return Record{{"r", f(in.at("r").as_int(), q)}};
  });
}

/// The diamond plan computing k = (2r + 1) + 3r, whose branch a throws
/// std::out_of_range on a negative r.
struct FailingDiamond {
  test::Counted s = arithmetic("S", false, [](auto r, auto) { return r; });
  test::Counted a = arithmetic("A", false, [](auto r, auto) {
    if (r < 0)
      throw std::out_of_range("a negative r");
    return 2 * r + 1;
  });
  test::Counted b = arithmetic("B", false, [](auto r, auto) { return 3 * r; });
  test::Counted k = arithmetic("K", true, [](auto r, auto q) { return r + q; });
  std::optional<CompiledGraph> plan =
      compiled(scheduled(test::diamond_plan), {s.op, a.op, b.op, k.op});
};

class FailureTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(FailureTest, AFailingNodeIsNamedAndItsDependentsNeverStart) {
  FailingDiamond diamond;
  ASSERT_TRUE(diamond.plan);
  try {
    diamond.plan->run({{"r", -1}}, parallel(GetParam()));
    FAIL() << "no ExecutionError";
  } catch (const ExecutionError &error) {
    EXPECT_EQ(error.node(), "%3");
    EXPECT_EQ(error.op(), "A");
    EXPECT_THROW(error.rethrow_cause(), std::out_of_range);
  }
  EXPECT_EQ(*diamond.k.calls, 0);
}

TEST_P(FailureTest, ThePlanStaysUsableAfterAFailure) {
  FailingDiamond diamond;
  ASSERT_TRUE(diamond.plan);
  for (int r = -50; r < 50; ++r) {
    if (r < 0)
      EXPECT_THROW(diamond.plan->run({{"r", r}}, parallel(GetParam())),
                   ExecutionError);
    else
      EXPECT_EQ(diamond.plan->run({{"r", r}}, parallel(GetParam())),
                (Record{{"out", 5 * r + 1}}));
  }
  EXPECT_EQ(*diamond.k.calls, 50);
}

INSTANTIATE_TEST_SUITE_P(Workers, FailureTest, ::testing::Values(1u, 2u, 64u));

TEST(ExecutorFailureTest, TwoFailingBranchesGiveOneErrorWithItsOwnCause) {
  test::TimedBarrier barrier(2);
  std::vector<OperatorPtr> table;
  for (const char *name : {"M0", "M1"})
    table.push_back(member(name, [&barrier, name] {
      meet(barrier);
      throw std::runtime_error(std::string(name) + " failed");
    }));
  std::optional<CompiledGraph> plan =
      compiled(scheduled(test::wide_plan(2)), table);
  ASSERT_TRUE(plan);
  try {
    plan->run({{"r", 1}}, parallel(2));
    FAIL() << "no ExecutionError";
  } catch (const ExecutionError &error) {
    ASSERT_TRUE(error.op() == "M0" || error.op() == "M1") << error.op();
    EXPECT_EQ(describe(error.cause()), error.op() + " failed");
  }
}

TEST(ExecutorFailureTest, SiblingsInFlightFinishBeforeTheCallerSeesTheError) {
  // M0 fails once M1 runs; M1 is still running then, and finishes after.
  test::Event m1_running;
  test::Event m0_failing;
  std::atomic<bool> m1_finished{false};
  std::vector<OperatorPtr> table = {
      member("M0",
             [&] {
               if (!m1_running.wait())
                 throw std::runtime_error("M1 never ran");
               m0_failing.set();
               throw std::runtime_error("M0 failed");
             }),
      member("M1", [&] {
        m1_running.set();
        m0_failing.wait();
        m1_finished = true;
      })};
  std::optional<CompiledGraph> plan =
      compiled(scheduled(test::wide_plan(2)), table);
  ASSERT_TRUE(plan);
  EXPECT_THROW(plan->run({{"r", 1}}, parallel(2)), ExecutionError);
  EXPECT_TRUE(m1_finished);
}

/// The layered plan computing k = (4r + 3) + (4r + 5) from s = 2r, whose
/// branch b3 fails when r is a multiple of 10.
std::vector<OperatorPtr> layered_arithmetic() {
  auto unary = [](std::string name, std::int64_t add) {
    return arithmetic(std::move(name), false,
                      [add](auto r, auto) {
                        if (add == 3 && r % 20 == 0)
                          throw std::invalid_argument("a multiple of 10");
                        return r + add;
                      })
        .op;
  };
  auto sum = [](std::string name) {
    return arithmetic(std::move(name), true,
                      [](auto r, auto q) { return r + q; })
        .op;
  };
  return {arithmetic("S", false, [](auto r, auto) { return 2 * r; }).op,
          unary("B1", 1),
          unary("B2", 2),
          unary("B3", 3),
          sum("M1"),
          sum("M2"),
          sum("K")};
}

TEST(ExecutorConcurrencyTest, FiftyThreadsEachMakeAThousandCallsOnOnePlan) {
  std::optional<CompiledGraph> plan =
      compiled(scheduled(test::layered_plan), layered_arithmetic());
  ASSERT_TRUE(plan);
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 50; ++t)
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      std::uniform_int_distribution<int> pick(-1000, 1000);
      for (int i = 0; i < 1000; ++i) {
        int r = pick(rng);
        try {
          Record result = plan->run({{"r", r}}, parallel(8));
          wrong += r % 10 == 0 || result != Record{{"out", 8 * r + 8}};
        } catch (const ExecutionError &error) {
          wrong += r % 10 != 0 || error.op() != "B3";
        }
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(wrong, 0);
}

/// Runs \p body on a thread of its own; false if it has not returned
/// within the rendezvous timeout (a deadlock: the thread is left behind,
/// holding what \p body holds).
bool finishes(std::function<void()> body) {
  auto done = std::make_shared<test::Event>();
  std::thread([done, body = std::move(body)] {
    body();
    done->set();
  }).detach();
  return done->wait();
}

/// An operator running \p inner, a wide plan of three members, as its
/// forward: a compiled plan inside a node of another.
OperatorPtr nested(std::string name, std::shared_ptr<CompiledGraph> inner,
                   RunOptions options) {
  return ops::function(std::move(name), Specification().input("r").output("r"),
                       [inner, options](const Record &in) {
                         Record result = inner->run(in, options);
                         return Record{{"r", result.at("out")}};
                       });
}

TEST(ExecutorNestingTest, NestedPlansFinishWhenEveryPoolThreadIsBusy) {
  // One pool thread for an outer run of four nested runs, every one of
  // them asking for 63 helpers: waiting callers must run their own tasks.
  auto executor = std::make_shared<runtime::Executor>(1);
  std::optional<CompiledGraph> inner =
      compiled(scheduled(test::wide_plan(3)), members(3, [] {}));
  ASSERT_TRUE(inner);
  auto shared_inner = std::make_shared<CompiledGraph>(std::move(*inner));
  std::vector<OperatorPtr> table;
  for (int i = 0; i < 4; ++i)
    table.push_back(nested("N" + std::to_string(i), shared_inner,
                           parallel(64, executor.get())));
  std::optional<CompiledGraph> outer =
      compiled(scheduled(test::wide_plan(4)), table);
  ASSERT_TRUE(outer);
  auto shared_outer = std::make_shared<CompiledGraph>(std::move(*outer));
  auto wrong = std::make_shared<std::atomic<int>>(0);
  EXPECT_TRUE(finishes([executor, shared_inner, shared_outer, wrong] {
    for (int r = 0; r < 200; ++r) {
      Record result =
          shared_outer->run({{"r", r}}, parallel(64, executor.get()));
      Value three = wide_result(r, 3).at("out");
      *wrong +=
          result != Record{{"out", Value::list({three, three, three, three})}};
    }
  }));
  EXPECT_EQ(*wrong, 0);
  EXPECT_EQ(executor->pool().threads(), 1u);
}

TEST(ExecutorNestingTest, JitOperatorsInsideACompiledPlanGiveTheEagerResult) {
  OperatorPtr twice = ops::affine(2, 0, "r", "y");
  OperatorPtr thrice = ops::affine(3, 0, "r", "y");
  OperatorPtr add = ops::binary(ops::BinaryOp::Add);
  OperatorPtr inner = ops::composite(
      "Inner", Specification().input("r", Kind::Int).output("r", Kind::Int),
      [=](const Record &in) {
        Record sum = (*add)(
            Record{{"a", (*twice)(in).at("y")}, {"b", (*thrice)(in).at("y")}});
        return Record{{"r", sum.at("y")}};
      });
  std::vector<OperatorPtr> table;
  for (int i = 0; i < 4; ++i)
    table.push_back(jit(inner, {.workers = 2}));
  std::optional<CompiledGraph> outer =
      compiled(scheduled(test::wide_plan(4)), table);
  ASSERT_TRUE(outer);
  for (int r = 0; r < 100; ++r) {
    Value eager = (*inner)(Record{{"r", r}}).at("r");
    EXPECT_EQ(outer->run({{"r", r}}, parallel(2)),
              (Record{{"out", Value::list({eager, eager, eager, eager})}}));
  }
}

/// The ids of the threads that ran the members of one run.
class ThreadLog {
public:
  void add() {
    std::lock_guard lock(mutex_);
    ids_.push_back(std::this_thread::get_id());
  }
  /// Whether every member since the last call ran on this thread.
  bool all_here() {
    std::lock_guard lock(mutex_);
    bool here = std::all_of(ids_.begin(), ids_.end(), [](auto id) {
      return id == std::this_thread::get_id();
    });
    ids_.clear();
    return here;
  }

private:
  std::mutex mutex_;
  std::vector<std::thread::id> ids_;
};

TEST(ExecutorSerialTest, OneWorkerRunsEveryTaskOnTheCallerAndStartsNoThread) {
  runtime::Executor executor;
  ThreadLog log;
  std::optional<CompiledGraph> plan =
      compiled(scheduled(test::wide_plan(6)), members(6, [&] { log.add(); }));
  ASSERT_TRUE(plan);
  for (int r = 0; r < 10; ++r) {
    EXPECT_EQ(plan->run({{"r", r}}, parallel(1, &executor)), wide_result(r, 6));
    EXPECT_TRUE(log.all_here());
  }
  EXPECT_EQ(executor.pool().threads(), 0u);
}

TEST(ExecutorSerialTest, ACheapPlanRunsOnTheCallerAfterItsFirstRun) {
  runtime::Executor executor;
  ThreadLog log;
  std::optional<CompiledGraph> plan =
      compiled(scheduled(test::wide_plan(6)), members(6, [&] { log.add(); }));
  ASSERT_TRUE(plan);
  // No run of six empty members comes near a second of work.
  RunOptions options{.workers = 8,
                     .serial_below = std::chrono::seconds(1),
                     .executor = &executor};
  plan->run({{"r", 0}}, options);
  log.all_here();
  for (int r = 1; r < 20; ++r) {
    EXPECT_EQ(plan->run({{"r", r}}, options), wide_result(r, 6));
    EXPECT_TRUE(log.all_here()) << "run " << r;
  }
}

TEST(ExecutorDefaultsTest, DefaultWorkersAreSetForTheProcess) {
  EXPECT_EQ(default_workers(), runtime::Executor::builtin_default_workers);
  set_default_workers(3);
  EXPECT_EQ(default_workers(), 3u);
  EXPECT_EQ(runtime::Executor::global().workers_for(0), 3u);
  EXPECT_EQ(runtime::Executor::global().workers_for(5), 5u);
  EXPECT_THROW(set_default_workers(5000), InputError);
  set_default_workers(0);
  EXPECT_EQ(default_workers(), runtime::Executor::builtin_default_workers);
}

} // namespace
} // namespace xcs
