//===- batch_runner_test.cpp - xcs::BatchRunner ---------------------------===//
//
// Concurrency is shown with gates and barriers: the Gate operator opens only
// once `gate` calls are held at once, and a std::barrier releases its
// parties only when all arrive, so a test finishes only if the runner keeps
// that many items in flight.
//
//===----------------------------------------------------------------------===//

#include "batch_test_support.h"

#include "xcs/jit.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <barrier>
#include <condition_variable>
#include <map>
#include <set>
#include <thread>

namespace xcs {
namespace {

using test::Gate;
using test::VectorSource;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

std::vector<BatchOutcome> run_all(BatchRunner &runner, BatchSource &source,
                                  BatchSummary *summary = nullptr) {
  std::vector<BatchOutcome> outcomes;
  BatchSummary result = runner.run(
      source, [&](BatchOutcome outcome) { outcomes.push_back(std::move(outcome)); });
  if (summary)
    *summary = result;
  return outcomes;
}

std::string message_of(const std::exception_ptr &error) {
  return describe(error);
}

TEST(BatchRunner, KeepsMaxInFlightAndDeliversInTheOrderItemsEnd) {
  // The gate opens only with 4 calls held: each group of 4 is in flight at
  // once, and ends in reverse order.
  auto gate = std::make_shared<Gate>(4);
  BatchRunner runner(gate, test::in_flight(4));
  VectorSource source = VectorSource::counting(20);
  std::vector<BatchOutcome> outcomes = run_all(runner, source);
  std::vector<std::uint64_t> order;
  for (const BatchOutcome &outcome : outcomes)
    order.push_back(outcome.index);
  std::vector<std::uint64_t> expected;
  for (std::uint64_t group = 0; group < 5; ++group)
    for (std::uint64_t i = 4; i-- > 0;)
      expected.push_back(group * 4 + i);
  EXPECT_THAT(order, ElementsAreArray(expected));
  EXPECT_EQ(gate->peak(), 4u);
  for (const BatchOutcome &outcome : outcomes) {
    ASSERT_TRUE(outcome.output) << message_of(outcome.error);
    EXPECT_EQ(*outcome.output,
              Gate::compute(static_cast<std::int64_t>(outcome.index)));
  }
}

TEST(BatchRunner, NeverStartsMoreThanMaxInFlight) {
  // A gate wider than the limit would never open: the limit of 3 makes
  // groups of 3 (a gate of 3), and the peak held is 3.
  auto gate = std::make_shared<Gate>(3);
  BatchRunner runner(gate, test::in_flight(3));
  VectorSource source = VectorSource::counting(30);
  BatchSummary summary;
  EXPECT_EQ(run_all(runner, source, &summary).size(), 30u);
  EXPECT_EQ(gate->peak(), 3u);
  EXPECT_EQ(summary.progress.done, 30u);
  EXPECT_EQ(summary.progress.failed, 0u);
  EXPECT_EQ(summary.progress.in_flight, 0u);
  EXPECT_FALSE(summary.stopped);
}

TEST(BatchRunner, OutcomesEqualEagerCallsOnTheTimerThread) {
  // model_call completes on the process's timer thread, in its own order.
  ops::ModelCallOptions o;
  o.latency = std::chrono::microseconds(300);
  o.failure_rate = 0.2;
  auto model = ops::model_call(o);
  std::vector<BatchItem> items;
  for (std::uint64_t i = 0; i < 200; ++i)
    items.push_back({i, Record{{"prompt", "question " + std::to_string(i)}},
                     nullptr});
  VectorSource source(items);
  BatchRunner runner(model, test::in_flight(64));
  BatchSummary summary;
  std::vector<BatchOutcome> outcomes = run_all(runner, source, &summary);
  ASSERT_EQ(outcomes.size(), items.size());
  std::set<std::uint64_t> seen;
  std::uint64_t failed = 0;
  for (const BatchOutcome &outcome : outcomes) {
    EXPECT_TRUE(seen.insert(outcome.index).second) << outcome.index;
    const Record &input = items[outcome.index].input;
    try {
      Record eager = (*model)(input);
      ASSERT_TRUE(outcome.output) << message_of(outcome.error);
      EXPECT_EQ(*outcome.output, eager);
    } catch (const std::exception &eager_error) {
      ++failed;
      ASSERT_TRUE(outcome.error) << outcome.index;
      EXPECT_EQ(message_of(outcome.error), eager_error.what());
    }
  }
  EXPECT_GT(failed, 0u);
  EXPECT_EQ(summary.progress.failed, failed);
}

TEST(BatchRunner, FailuresAreTheOperatorsOwnErrors) {
  auto eager_gate = std::make_shared<Gate>(1);
  std::vector<BatchItem> items{{0, Record{{"x", -1}}, nullptr},
                               {1, Record{{"x", 1}}, nullptr},
                               {2, Record{{"x", "two"}}, nullptr},
                               {3, Record{{"x", 3}}, nullptr}};
  // Item 2 fails validation before it starts: it is the eager call's
  // InputError, and the gate sees only three calls.
  auto gate3 = std::make_shared<Gate>(1);
  VectorSource source(items);
  BatchRunner runner(gate3, test::in_flight(2));
  std::map<std::uint64_t, BatchOutcome> by_index;
  for (BatchOutcome &outcome : run_all(runner, source))
    by_index.emplace(outcome.index, std::move(outcome));
  ASSERT_EQ(by_index.size(), 4u);
  for (const auto &[index, outcome] : by_index) {
    try {
      Record eager = (*eager_gate)(items[index].input);
      ASSERT_TRUE(outcome.output) << index;
      EXPECT_EQ(*outcome.output, eager);
    } catch (const InputError &eager_error) {
      ASSERT_TRUE(outcome.error) << index;
      EXPECT_EQ(message_of(outcome.error), eager_error.what());
      EXPECT_THROW(std::rethrow_exception(outcome.error), InputError);
    }
  }
  EXPECT_EQ(gate3->started(), 3u);
}

TEST(BatchRunner, AnItemWhoseInputCouldNotBeReadFailsWithoutACall) {
  auto gate = std::make_shared<Gate>(1);
  std::vector<BatchItem> items{
      {0, Record{{"x", 1}}, nullptr},
      {1, Record(), std::make_exception_ptr(InputError("data:2: not JSON"))},
      {2, Record{{"x", 2}}, nullptr}};
  VectorSource source(items);
  BatchRunner runner(gate, test::in_flight(8));
  std::map<std::uint64_t, BatchOutcome> by_index;
  for (BatchOutcome &outcome : run_all(runner, source))
    by_index.emplace(outcome.index, std::move(outcome));
  ASSERT_EQ(by_index.size(), 3u);
  ASSERT_TRUE(by_index[1].error);
  EXPECT_EQ(message_of(by_index[1].error), "data:2: not JSON");
  EXPECT_EQ(gate->started(), 2u);
}

TEST(BatchRunner, ASynchronousOperatorGetsAThreadPerItemInFlight) {
  // Eight parties: the run ends only if eight calls block at once.
  constexpr int width = 8;
  std::barrier meeting(width);
  auto op = ops::function(
      "Meet", Specification().input("x", Kind::Int).output("y", Kind::Int),
      [&](const Record &in) {
        meeting.arrive_and_wait();
        return Record{{"y", in.at("x").as_int() + 1}};
      });
  BatchRunner runner(op, test::in_flight(width));
  VectorSource source = VectorSource::counting(4 * width);
  std::vector<BatchOutcome> outcomes = run_all(runner, source);
  ASSERT_EQ(outcomes.size(), 4u * width);
  for (const BatchOutcome &outcome : outcomes)
    EXPECT_EQ(outcome.output->at("y").as_int(),
              static_cast<std::int64_t>(outcome.index) + 1);
}

TEST(BatchRunner, AJitOperatorGivesTheEagerOutcomes) {
  ops::Example example = ops::example("ensemble-judge");
  OperatorPtr compiled = jit(example.op);
  std::vector<BatchItem> items;
  for (std::uint64_t i = 0; i < 40; ++i)
    items.push_back({i,
                     Record{{"query", i % 10 == 3 ? "boom " + std::to_string(i)
                                                  : "q" + std::to_string(i)}},
                     nullptr});
  VectorSource source(items);
  BatchRunner runner(compiled, test::in_flight(8));
  std::vector<BatchOutcome> outcomes = run_all(runner, source);
  ASSERT_EQ(outcomes.size(), items.size());
  for (const BatchOutcome &outcome : outcomes) {
    try {
      Record eager = (*example.op)(items[outcome.index].input);
      ASSERT_TRUE(outcome.output) << message_of(outcome.error);
      EXPECT_EQ(*outcome.output, eager);
    } catch (const std::exception &eager_error) {
      ASSERT_TRUE(outcome.error) << outcome.index;
      EXPECT_EQ(message_of(outcome.error), eager_error.what());
    }
  }
}

TEST(BatchRunner, AJitPipelineOfAsynchronousCallsHoldsNoThreadPerItem) {
  // One thread for calls that hold one, and a gate that opens only once
  // 100 calls are held: every round of 100 items is in flight at once only
  // if their pipeline runs hold no thread. Should they hold it, the
  // watchdog cancels the run and the counts below fail.
  auto gate = std::make_shared<Gate>(1);
  auto twice = ops::composite(
      "Twice", Specification().input("x", Kind::Int).output("y", Kind::Int),
      [gate](const Record &in) {
        Record once = (*gate)(in);
        return (*gate)(Record{{"x", once.at("y")}});
      });
  for (unsigned workers : {1u, 2u, 64u}) {
    gate->set_gate(1);
    OperatorPtr compiled = jit(twice, {.workers = workers});
    // The first call builds the plan, on a thread.
    ASSERT_EQ((*compiled)(Record{{"x", 1}}), (Record{{"y", 100}}));
    gate->set_gate(100);
    BatchOptions options = test::in_flight(100);
    options.threads = 1;
    BatchRunner runner(compiled, options);
    std::jthread watchdog([&](std::stop_token stop) {
      std::mutex mutex;
      std::unique_lock lock(mutex);
      std::condition_variable_any().wait_for(lock, stop,
                                             std::chrono::seconds(60),
                                             [] { return false; });
      if (!stop.stop_requested())
        runner.cancel();
    });
    VectorSource source = VectorSource::counting(300);
    std::vector<BatchOutcome> outcomes = run_all(runner, source);
    watchdog.request_stop();
    ASSERT_EQ(outcomes.size(), 300u) << workers << " workers";
    for (const BatchOutcome &outcome : outcomes) {
      ASSERT_TRUE(outcome.output) << message_of(outcome.error);
      EXPECT_EQ(outcome.output->at("y").as_int(),
                static_cast<std::int64_t>(outcome.index) * 100);
    }
    EXPECT_EQ(gate->peak(), 100u);
  }
}

TEST(BatchRunner, StopLetsTheItemsInFlightEnd) {
  auto gate = std::make_shared<Gate>(3);
  BatchRunner runner(gate, test::in_flight(3));
  gate->on_gate = [&] { runner.stop(); };
  VectorSource source = VectorSource::counting(12);
  BatchSummary summary;
  std::vector<BatchOutcome> outcomes = run_all(runner, source, &summary);
  ASSERT_EQ(outcomes.size(), 3u);
  for (const BatchOutcome &outcome : outcomes)
    EXPECT_TRUE(outcome.output);
  EXPECT_EQ(source.pulled(), 3u);
  EXPECT_TRUE(summary.stopped);
  EXPECT_FALSE(summary.cancelled);
}

// A Ctrl-C may come between xcs-run saying it handles it and the run's
// start: the stop must not be lost.
TEST(BatchRunner, AStopBeforeTheRunAppliesToItAndIsThenCleared) {
  auto gate = std::make_shared<Gate>(3);
  BatchRunner runner(gate, test::in_flight(3));
  runner.stop();
  VectorSource stopped_source = VectorSource::counting(12);
  BatchSummary summary;
  EXPECT_TRUE(run_all(runner, stopped_source, &summary).empty());
  EXPECT_EQ(stopped_source.pulled(), 0u);
  EXPECT_TRUE(summary.stopped);
  VectorSource source = VectorSource::counting(12);
  EXPECT_EQ(run_all(runner, source, &summary).size(), 12u);
  EXPECT_FALSE(summary.stopped);
}

TEST(BatchRunner, CancelEndsTheItemsInFlightWithTheirErrors) {
  auto gate = std::make_shared<Gate>(3);
  gate->release = false;
  BatchRunner runner(gate, test::in_flight(3));
  gate->on_gate = [&] { runner.cancel(); };
  VectorSource source = VectorSource::counting(12);
  BatchSummary summary;
  std::vector<BatchOutcome> outcomes = run_all(runner, source, &summary);
  ASSERT_EQ(outcomes.size(), 3u);
  for (const BatchOutcome &outcome : outcomes) {
    ASSERT_TRUE(outcome.error);
    EXPECT_EQ(message_of(outcome.error), "cancelled");
  }
  EXPECT_TRUE(summary.cancelled);
  EXPECT_EQ(summary.abandoned, 0u);
}

TEST(BatchRunner, ACallbackThatThrowsStopsTheRunAfterItsCallsEnd) {
  auto gate = std::make_shared<Gate>(2);
  BatchRunner runner(gate, test::in_flight(2));
  VectorSource source = VectorSource::counting(10);
  int delivered = 0;
  EXPECT_THROW(runner.run(source,
                          [&](BatchOutcome) {
                            if (++delivered == 3)
                              throw std::runtime_error("disk full");
                          }),
               std::runtime_error);
  EXPECT_EQ(delivered, 3);
}

TEST(BatchRunner, ReportsProgressAndLatencies) {
  auto gate = std::make_shared<Gate>(5);
  std::vector<BatchProgress> seen;
  BatchOptions options = test::in_flight(5);
  options.progress_interval = std::chrono::milliseconds(1);
  options.on_progress = [&](const BatchProgress &p) { seen.push_back(p); };
  BatchRunner runner(gate, options);
  VectorSource source = VectorSource::counting(50);
  BatchSummary summary;
  run_all(runner, source, &summary);
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().done, 50u);
  EXPECT_EQ(seen.back().total, 50u);
  EXPECT_EQ(summary.progress.done, 50u);
  EXPECT_GT(summary.throughput, 0);
  EXPECT_LE(summary.latency_p50, summary.latency_p95);
  EXPECT_LE(summary.latency_p95, summary.latency_p99);
  EXPECT_GT(summary.latency_p99.count(), 0);
}

TEST(BatchRunner, RejectsBadOptions) {
  auto gate = std::make_shared<Gate>(1);
  try {
    BatchRunner runner(gate, test::in_flight(0));
    FAIL() << "accepted max_in_flight = 0";
  } catch (const InputError &error) {
    EXPECT_THAT(error.what(), HasSubstr("max_in_flight"));
  }
  EXPECT_THROW(BatchRunner(nullptr), InputError);
  try {
    BatchRunner runner(gate, test::in_flight(1, "/no/such/dir/t.json"));
    VectorSource source = VectorSource::counting(1);
    run_all(runner, source);
    FAIL() << "accepted a timeline that cannot be written";
  } catch (const InputError &error) {
    EXPECT_THAT(error.what(), HasSubstr("/no/such/dir/t.json"));
  }
}

} // namespace
} // namespace xcs
