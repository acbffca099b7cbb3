//===- async_test.cpp - Asynchronous operators in plans -------------------===//
//
// An asynchronous call holds no thread while in flight: its task suspends,
// and its completion, from any thread, resumes the run. Concurrency is
// proven with barriers (N calls that each complete only once all N have
// started), never with timing.
//
//===----------------------------------------------------------------------===//

#include "xcs/async.h"
#include "xcs/error.h"
#include "xcs/graph_builder.h"
#include "xcs/jit.h"
#include "xcs/metrics.h"
#include "xcs/ops.h"
#include "xcs/trace.h"
#include "xcs/vmap.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <typeinfo>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

namespace xcs {
namespace {

using ::testing::HasSubstr;

Specification x_to_y() {
  return Specification().input("x", Kind::Int).output("y", Kind::Int);
}

/// A user-written asynchronous operator: y = x + add, completed on a
/// thread of its own (a foreign thread), or before start() returns.
class Delayed : public AsyncOperator, public StructureDependency {
public:
  Delayed(std::string name, std::int64_t add, bool inline_completion = false)
      : AsyncOperator(std::move(name), x_to_y()), add_(add),
        inline_(inline_completion) {}

  void start(const Record &in, Completion done) const override {
    ++started;
    std::int64_t y = in.at("x").as_int() + add_;
    if (inline_)
      return done.complete(Record{{"y", y}});
    std::thread([y, done = std::move(done)]() mutable {
      done.complete(Record{{"y", y}});
    }).detach();
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("y"), {FieldId("x")}}};
  }

  mutable std::atomic<int> started{0};

private:
  std::int64_t add_;
  bool inline_;
};

/// Completes its calls only once \p parties of them have started: a run
/// that does not have them all in flight at once never finishes. Holds no
/// thread: the last call to start completes them all.
class BarrierMember : public AsyncOperator, public StructureDependency {
public:
  struct Shared {
    std::mutex mutex;
    std::vector<std::pair<Completion, std::int64_t>> waiting;
    std::size_t parties;
    /// Calls started so far.
    std::size_t started = 0;
  };

  BarrierMember(std::string name, std::shared_ptr<Shared> shared)
      : AsyncOperator(std::move(name), x_to_y()), shared_(std::move(shared)) {}

  void start(const Record &in, Completion done) const override {
    std::vector<std::pair<Completion, std::int64_t>> release;
    {
      std::lock_guard lock(shared_->mutex);
      ++shared_->started;
      shared_->waiting.emplace_back(std::move(done), in.at("x").as_int());
      if (shared_->waiting.size() == shared_->parties)
        release.swap(shared_->waiting);
    }
    for (auto &[completion, x] : release)
      completion.complete(Record{{"y", x + 1}});
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("y"), {FieldId("x")}}};
  }

private:
  std::shared_ptr<Shared> shared_;
};

/// A synchronous member {x} -> {y: x} that blocks its thread until
/// \p count calls of a BarrierMember group have started; after 30 s it
/// throws instead, so that a run that left those calls without a thread
/// fails rather than hangs.
class WaitsForStarts : public Operator, public StructureDependency {
public:
  WaitsForStarts(std::shared_ptr<BarrierMember::Shared> shared,
                 std::size_t count)
      : Operator("WaitsForStarts", x_to_y()), shared_(std::move(shared)),
        count_(count) {}
  Record forward(const Record &in) const override {
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < give_up) {
      {
        std::lock_guard lock(shared_->mutex);
        if (shared_->started >= count_)
          return Record{{"y", in.at("x")}};
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    throw std::runtime_error("the asynchronous calls never started");
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("y"), {FieldId("x")}}};
  }

private:
  std::shared_ptr<BarrierMember::Shared> shared_;
  std::size_t count_;
};

/// {ys: list} -> {y: their sum}: a declared leaf.
class Sum : public Operator, public StructureDependency {
public:
  Sum()
      : Operator("Sum", Specification()
                            .input("ys", Kind::List)
                            .output("y", Kind::Int)) {}
  Record forward(const Record &in) const override {
    std::int64_t total = 0;
    for (const Value &y : in.at("ys").as_list())
      total += y.as_int();
    return Record{{"y", total}};
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("y"), {FieldId("ys")}}};
  }
};

/// {x} -> {y = sum of every member's y on x}.
OperatorPtr panel(std::vector<OperatorPtr> members) {
  auto sum = std::make_shared<Sum>();
  return ops::composite("Panel", x_to_y(), [=](const Record &in) {
    std::vector<Value> ys;
    for (const OperatorPtr &m : members)
      ys.push_back((*m)(Record{{"x", in.at("x")}}).at("y"));
    return (*sum)(Record{{"ys", Value::list(std::move(ys))}});
  });
}

/// \p count simulated model calls named \p prefix0, \p prefix1, ... of
/// the given \p latency.
std::vector<OperatorPtr> simulated_models(const std::string &prefix, int count,
                                          std::chrono::microseconds latency) {
  std::vector<OperatorPtr> models;
  for (int i = 0; i < count; ++i) {
    ops::ModelCallOptions model;
    model.name = prefix + std::to_string(i);
    model.latency = latency;
    models.push_back(ops::model_call(std::move(model)));
  }
  return models;
}

TEST(Async, ATraceSeesThroughSimulatedModelCalls) {
  // model_call reads its prompt on the calling thread. Read on the timer
  // thread, the prompt would be a traced value used where the trace cannot
  // see, and the composite would stay opaque: a plan of one eager call,
  // its members waited for one after another.
  std::vector<OperatorPtr> members =
      simulated_models("M", 3, std::chrono::milliseconds(1));
  OperatorPtr ensemble = ops::ensemble(members);
  OperatorPtr op = ops::composite(
      "Panel",
      Specification().input("query", Kind::String).output("votes", Kind::List),
      [=](const Record &in) {
        Record voted = (*ensemble)(Record{{"prompt", in.at("query")}});
        return Record{{"votes", voted.at("responses")}};
      });
  XCSGraph graph =
      AutoGraphBuilder().build(trace(*op, Record{{"query", "q"}}), "g");
  std::vector<std::string> nodes;
  for (const XCSNode *node : graph.operator_nodes()) {
    nodes.push_back(node->op->name());
    EXPECT_EQ(node->opaque_reason, "") << node->op->name();
  }
  EXPECT_EQ(nodes, (std::vector<std::string>{"M0", "M1", "M2"}));
}

TEST(Async, TheEagerCallBlocksUntilCompletion) {
  Delayed foreign("Foreign", 1);
  EXPECT_EQ(foreign(Record{{"x", 2}}), (Record{{"y", 3}}));
  Delayed inline_done("Inline", 5, /*inline_completion=*/true);
  EXPECT_EQ(inline_done(Record{{"x", 2}}), (Record{{"y", 7}}));
}

/// Completes once with \p first, then tries \p second.
class Twice : public AsyncOperator {
public:
  Twice() : AsyncOperator("Twice", x_to_y()) {}
  void start(const Record &, Completion done) const override {
    done.complete(Record{{"y", 1}});
    try {
      done.complete(Record{{"y", 2}});
    } catch (const Error &e) {
      second_error = e.what();
    }
  }
  mutable std::string second_error;
};

TEST(Async, ASecondCompletionIsAClearErrorAndIsNotDelivered) {
  Twice op;
  EXPECT_EQ(op(Record{{"x", 0}}), (Record{{"y", 1}}));
  EXPECT_EQ(op.second_error,
            "asynchronous call of operator 'Twice' completed twice");
}

/// Drops its completion without completing it.
class Dropper : public AsyncOperator {
public:
  Dropper() : AsyncOperator("Dropper", x_to_y()) {}
  void start(const Record &, Completion) const override {}
};

/// Throws from start() after handing the completion nowhere.
class ThrowsOnStart : public AsyncOperator {
public:
  ThrowsOnStart() : AsyncOperator("ThrowsOnStart", x_to_y()) {}
  void start(const Record &, Completion) const override {
    throw std::runtime_error("cannot start");
  }
};

TEST(Async, ADroppedCompletionFailsTheCallAndAThrowingStartFailsItWithItsError) {
  EXPECT_THAT([] { Dropper()(Record{{"x", 0}}); },
              ::testing::ThrowsMessage<Error>(
                  HasSubstr("'Dropper' was dropped without completing")));
  EXPECT_THAT([] { ThrowsOnStart()(Record{{"x", 0}}); },
              ::testing::ThrowsMessage<std::runtime_error>(
                  HasSubstr("cannot start")));
}

TEST(Async, APlanOfAsynchronousMembersEqualsTheEagerCall) {
  std::vector<OperatorPtr> members;
  for (int i = 0; i < 8; ++i)
    members.push_back(std::make_shared<Delayed>("M" + std::to_string(i), i,
                                                /*inline_completion=*/i % 2));
  OperatorPtr op = panel(members);
  for (Strategy strategy :
       {Strategy::Trace, Strategy::Structural, Strategy::Auto})
    for (unsigned workers : {1u, 2u, 64u}) {
      OperatorPtr compiled =
          jit(op, {.strategy = strategy, .workers = workers});
      for (int x : {1, 5, -3})
        EXPECT_EQ((*compiled)(Record{{"x", x}}), (*op)(Record{{"x", x}}))
            << strategy_name(strategy) << " workers=" << workers;
    }
}

TEST(Async, FiftyMembersAreInFlightAtOnceWithOneWorker) {
  // The barrier completes nothing until all 50 calls have started: with
  // one worker and no thread per call, the run finishes only if starting
  // a call never waits for its completion.
  auto shared = std::make_shared<BarrierMember::Shared>();
  shared->parties = 50;
  std::vector<OperatorPtr> members;
  for (int i = 0; i < 50; ++i)
    members.push_back(
        std::make_shared<BarrierMember>("B" + std::to_string(i), shared));
  OperatorPtr compiled =
      jit(panel(members), {.strategy = Strategy::Structural, .workers = 1});
  EXPECT_EQ((*compiled)(Record{{"x", 1}}), (Record{{"y", 100}}));
  EXPECT_EQ((*compiled)(Record{{"x", 2}}), (Record{{"y", 150}}));
}

TEST(Async, ASynchronousMemberWaitingForAsynchronousOnesDoesNotStarveThem) {
  // The synchronous member comes first: the thread that runs it blocks
  // until the four asynchronous calls queued behind it have started, which
  // takes another thread, however short the queue is.
  for (unsigned workers : {2u, 64u}) {
    auto shared = std::make_shared<BarrierMember::Shared>();
    shared->parties = 4;
    std::vector<OperatorPtr> members{
        std::make_shared<WaitsForStarts>(shared, 4)};
    for (int i = 0; i < 4; ++i)
      members.push_back(
          std::make_shared<BarrierMember>("B" + std::to_string(i), shared));
    OperatorPtr compiled = jit(
        panel(members), {.strategy = Strategy::Structural, .workers = workers});
    EXPECT_EQ((*compiled)(Record{{"x", 1}}), (Record{{"y", 1 + 4 * 2}}))
        << workers << " workers";
  }
}

TEST(Async, TenThousandCallsInFlightInOneRun) {
  auto shared = std::make_shared<BarrierMember::Shared>();
  shared->parties = 10000;
  std::vector<OperatorPtr> members;
  for (int i = 0; i < 10000; ++i)
    members.push_back(std::make_shared<BarrierMember>("B", shared));
  OperatorPtr compiled =
      jit(panel(members), {.strategy = Strategy::Structural, .workers = 4});
  EXPECT_EQ((*compiled)(Record{{"x", 0}}), (Record{{"y", 10000}}));
}

/// Completes only when cancelled: a run that does not cancel it never
/// ends. Counts down \p started once its cancellation is armed.
class WaitsForCancel : public AsyncOperator, public StructureDependency {
public:
  WaitsForCancel(std::string name, std::shared_ptr<std::latch> started)
      : AsyncOperator(std::move(name), x_to_y()),
        started_(std::move(started)) {}
  void start(const Record &, Completion done) const override {
    auto shared = std::make_shared<Completion>(std::move(done));
    shared->on_cancel([this, shared] {
      ++cancelled;
      shared->fail(std::make_exception_ptr(Error("cancelled")));
    });
    started_->count_down();
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("y"), {FieldId("x")}}};
  }
  mutable std::atomic<int> cancelled{0};

private:
  std::shared_ptr<std::latch> started_;
};

/// Fails every call, from a foreign thread, once \p ready has opened.
class FailsLater : public AsyncOperator, public StructureDependency {
public:
  explicit FailsLater(std::shared_ptr<std::latch> ready)
      : AsyncOperator("FailsLater", x_to_y()), ready_(std::move(ready)) {}
  void start(const Record &, Completion done) const override {
    std::thread([ready = ready_, done = std::move(done)]() mutable {
      ready->wait();
      done.fail(std::make_exception_ptr(std::runtime_error("late failure")));
    }).detach();
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("y"), {FieldId("x")}}};
  }

private:
  std::shared_ptr<std::latch> ready_;
};

TEST(Async, AFailureCancelsTheCallsInFlightAndGivesTheEagerException) {
  // The waiting members come after the failing one in call order, so the
  // eager call never reaches them; the plan starts them all at once (the
  // failure waits until they have), and the failure must cancel them, or
  // the run never ends.
  auto started = std::make_shared<std::latch>(10);
  std::vector<OperatorPtr> members{std::make_shared<FailsLater>(started)};
  std::vector<std::shared_ptr<WaitsForCancel>> waiting;
  for (int i = 0; i < 10; ++i) {
    waiting.push_back(std::make_shared<WaitsForCancel>(
        "Waits" + std::to_string(i), started));
    members.push_back(waiting.back());
  }
  OperatorPtr compiled =
      jit(panel(members), {.strategy = Strategy::Structural, .workers = 2});
  EXPECT_THAT([&] { (*compiled)(Record{{"x", 1}}); },
              ::testing::ThrowsMessage<std::runtime_error>(
                  HasSubstr("late failure")));
  for (const auto &w : waiting)
    EXPECT_EQ(w->cancelled, 1) << w->name();
}

TEST(Async, AFailingSimulatedModelCancelsTheSlowOnes) {
  // Members that would wait an hour: the run ends only because the
  // failure cancels their timers.
  std::vector<OperatorPtr> members{
      ops::model_call({.name = "Failing", .fail_on = "boom"})};
  for (OperatorPtr &slow : simulated_models("Slow", 10, std::chrono::hours(1)))
    members.push_back(std::move(slow));
  auto responses = ops::ensemble(members);
  OperatorPtr op = ops::composite(
      "Ask",
      Specification().input("prompt", Kind::String).output("responses"),
      [responses](const Record &in) { return (*responses)(in); });
  OperatorPtr compiled =
      jit(op, {.strategy = Strategy::Structural, .workers = 2});
  EXPECT_THAT([&] { (*compiled)(Record{{"prompt", "boom"}}); },
              ::testing::ThrowsMessage<std::runtime_error>(
                  HasSubstr("model 'Failing' failed on prompt 'boom'")));
}

TEST(Async, NestedJitOperatorsWithAsynchronousChildren) {
  std::vector<OperatorPtr> members;
  for (int i = 0; i < 4; ++i)
    members.push_back(std::make_shared<Delayed>("M" + std::to_string(i), i));
  OperatorPtr inner_eager = panel(members);
  OperatorPtr inner = jit(inner_eager);
  auto outer = [](OperatorPtr child) {
    return ops::composite("Outer", x_to_y(), [child](const Record &in) {
      Record first = (*child)(in);
      return (*child)(Record{{"x", first.at("y")}});
    });
  };
  OperatorPtr compiled = jit(outer(inner));
  for (int x : {0, 7})
    EXPECT_EQ((*compiled)(Record{{"x", x}}),
              (*outer(inner_eager))(Record{{"x", x}}));
}


//===----------------------------------------------------------------------===//
// Detached runs: call_async on a jit operator whose plan makes only
// asynchronous calls starts the plan and returns; no thread waits for it.
//===----------------------------------------------------------------------===//

/// {x} -> {y: x + 1} (odd x throw when `fail_odd`), completed at once in
/// pass mode, else held until release(): the test decides when calls end,
/// so it can see every call in flight at once. A held call that is
/// cancelled fails with Error "cancelled".
class Held : public AsyncOperator, public StructureDependency {
public:
  explicit Held(bool fail_odd) : AsyncOperator("Held", x_to_y()), fail_odd_(fail_odd) {}

  void start(const Record &in, Completion done) const override {
    std::int64_t x = in.at("x").as_int();
    auto call = std::make_shared<Completion>(std::move(done));
    {
      std::lock_guard lock(mutex_);
      if (!pass) {
        call->on_cancel([call] {
          call->fail(std::make_exception_ptr(Error("cancelled")));
        });
        held_.emplace_back(call, x);
        changed_.notify_all();
        return;
      }
    }
    call->complete_with([&] { return compute(x); });
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("y"), {FieldId("x")}}};
  }

  Record compute(std::int64_t x) const {
    if (fail_odd_ && x % 2 != 0)
      throw std::runtime_error("odd x: " + std::to_string(x));
    return Record{{"y", x + 1}};
  }
  /// Waits until \p count calls are held (30 s at most); returns how many.
  std::size_t wait_held(std::size_t count) const {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(30),
                      [&] { return held_.size() >= count; });
    return held_.size();
  }
  /// Completes every held call, on this thread; with \p pass_from_now,
  /// calls that start from now on complete at once.
  void release(bool pass_from_now = false) const {
    std::vector<std::pair<std::shared_ptr<Completion>, std::int64_t>> calls;
    {
      std::lock_guard lock(mutex_);
      calls.swap(held_);
      if (pass_from_now)
        pass = true;
    }
    for (auto &[call, x] : calls)
      call->complete_with([&] { return compute(x); });
  }

  /// Guarded by the mutex; set while no call is in flight.
  mutable bool pass = true;

private:
  bool fail_odd_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  mutable std::vector<std::pair<std::shared_ptr<Completion>, std::int64_t>>
      held_;
};

/// {x} -> {y: second(first(x))}: two asynchronous calls in a row.
OperatorPtr in_a_row(OperatorPtr first, OperatorPtr second) {
  return ops::composite("InARow", x_to_y(), [=](const Record &in) {
    Record middle = (*first)(in);
    return (*second)(Record{{"x", middle.at("y")}});
  });
}

/// The outcomes of call_async calls, as they arrive from any thread.
class Outcomes {
public:
  explicit Outcomes(std::size_t count) : outcomes_(count) {}
  std::function<void(CallOutcome)> slot(std::size_t i) {
    return [this, i](CallOutcome outcome) {
      std::lock_guard lock(mutex_);
      outcomes_[i] = std::move(outcome);
      ++arrived_;
      changed_.notify_all();
    };
  }
  std::size_t arrived() {
    std::lock_guard lock(mutex_);
    return arrived_;
  }
  /// Waits until all have arrived (30 s at most); returns how many did.
  std::size_t wait_all() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(30),
                      [&] { return arrived_ == outcomes_.size(); });
    return arrived_;
  }
  CallOutcome &operator[](std::size_t i) { return outcomes_[i]; }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<CallOutcome> outcomes_;
  std::size_t arrived_ = 0;
};

/// Expects \p got to be the outcome of \p op's eager call on \p in.
void expect_eager_outcome(const Operator &op, const Record &in,
                          const CallOutcome &got) {
  try {
    Record expected = op(in);
    ASSERT_FALSE(got.error) << describe(got.error);
    EXPECT_EQ(*got.outputs, expected);
  } catch (const std::exception &expected) {
    ASSERT_TRUE(got.error) << "expected: " << expected.what();
    try {
      std::rethrow_exception(got.error);
    } catch (const std::exception &error) {
      EXPECT_EQ(typeid(error), typeid(expected));
      EXPECT_STREQ(error.what(), expected.what());
    }
  }
}

TEST(DetachedRun, TwoHundredRunsAreInFlightFromOneThreadAndEndAsEagerCalls) {
  // Every call's second step is held: call_async returns 200 times on this
  // thread while none has ended, so no run waited on a thread. Releasing
  // them from this thread ends every run with its eager outcome, a
  // recovered failure for odd x.
  constexpr std::size_t runs = 200;
  for (Strategy strategy : {Strategy::Trace, Strategy::Structural})
    for (unsigned workers : {1u, 2u, 64u}) {
      auto held = std::make_shared<Held>(/*fail_odd=*/true);
      OperatorPtr eager = in_a_row(std::make_shared<Delayed>("D", 10), held);
      OperatorPtr compiled =
          jit(eager, {.strategy = strategy, .workers = workers});
      ASSERT_EQ((*compiled)(Record{{"x", 0}}), (Record{{"y", 11}}));
      held->pass = false;
      Outcomes outcomes(runs);
      for (std::size_t i = 0; i < runs; ++i)
        call_async(*compiled, Record{{"x", static_cast<std::int64_t>(i)}},
                   outcomes.slot(i));
      ASSERT_EQ(held->wait_held(runs), runs);
      EXPECT_EQ(outcomes.arrived(), 0u);
      held->release();
      ASSERT_EQ(outcomes.wait_all(), runs);
      held->pass = true;
      for (std::size_t i = 0; i < runs; ++i)
        expect_eager_outcome(*eager,
                             Record{{"x", static_cast<std::int64_t>(i)}},
                             outcomes[i]);
      Record report = JitPerformanceMetrics::report(*compiled);
      EXPECT_EQ(report.at("calls").as_int(), 1 + static_cast<int>(runs));
      EXPECT_EQ(report.at("recoveries").as_int(), static_cast<int>(runs / 2))
          << strategy_name(strategy) << " workers=" << workers;
    }
}

TEST(DetachedRun, CancellingTheCallCancelsTheRunsCallsInFlight) {
  auto held = std::make_shared<Held>(/*fail_odd=*/false);
  OperatorPtr compiled = jit(in_a_row(std::make_shared<Delayed>("D", 1), held));
  ASSERT_EQ((*compiled)(Record{{"x", 0}}), (Record{{"y", 2}}));
  held->pass = false;
  Outcomes outcomes(10);
  std::vector<CallHandle> handles;
  for (std::size_t i = 0; i < 10; ++i)
    handles.push_back(call_async(
        *compiled, Record{{"x", static_cast<std::int64_t>(i)}},
        outcomes.slot(i)));
  ASSERT_EQ(held->wait_held(10), 10u);
  for (const CallHandle &handle : handles)
    handle.cancel();
  ASSERT_EQ(outcomes.wait_all(), 10u);
  for (std::size_t i = 0; i < 10; ++i)
    EXPECT_THAT([&] { std::rethrow_exception(outcomes[i].error); },
                ::testing::ThrowsMessage<Error>(HasSubstr("cancelled")));
}

TEST(DetachedRun, APlanWithASynchronousCallRunsToItsEndOnTheCaller) {
  // Sum is synchronous: a detached run would leave its task to a pool
  // thread that may block. call_async runs such a plan here, as the first
  // call of any jit operator, which builds its plan.
  std::vector<OperatorPtr> members{std::make_shared<Delayed>("D0", 0),
                                   std::make_shared<Delayed>("D1", 1)};
  OperatorPtr compiled = jit(panel(members));
  for (int x : {3, 4}) {
    bool ended = false;
    call_async(*compiled, Record{{"x", x}}, [&](CallOutcome outcome) {
      ASSERT_TRUE(outcome.outputs);
      EXPECT_EQ(*outcome.outputs, (Record{{"y", 2 * x + 1}}));
      ended = true;
    });
    EXPECT_TRUE(ended) << "x=" << x;
  }
}

TEST(DetachedRun, AStructuredNodeKeepsThePlanOnTheCaller) {
  // A fallback calls its branch on its task's thread and waits for it:
  // run detached, that would be the thread completing the first call.
  OperatorPtr eager = in_a_row(
      std::make_shared<Delayed>("D", 10),
      ops::fallback(std::make_shared<Delayed>("Primary", 1),
                    std::make_shared<Delayed>("OnError", 2)));
  OperatorPtr compiled = jit(eager);
  for (int x : {0, 5}) {
    bool ended = false;
    call_async(*compiled, Record{{"x", x}}, [&](CallOutcome outcome) {
      ASSERT_TRUE(outcome.outputs) << describe(outcome.error);
      EXPECT_EQ(*outcome.outputs, (*eager)(Record{{"x", x}}));
      ended = true;
    });
    EXPECT_TRUE(ended) << "x=" << x;
  }
}

TEST(DetachedRun, AMapNodeKeepsEveryAsynchronousElementInFlight) {
  // jit(vmap(p)) runs p's plan per element: a plan of asynchronous calls
  // runs detached, so all 200 elements are in flight at once, not one per
  // element thread (64 at most). The call waits on its own thread.
  constexpr std::int64_t elements = 200;
  auto held = std::make_shared<Held>(/*fail_odd=*/true);
  OperatorPtr element = in_a_row(std::make_shared<Delayed>("D", 10), held);
  VmapOptions options;
  options.per_element_outcomes = true;
  OperatorPtr eager = vmap(element, {"x"}, options);
  OperatorPtr compiled = jit(eager, {.strategy = Strategy::Structural});
  auto xs = [](std::int64_t n) {
    std::vector<Value> items;
    for (std::int64_t i = 0; i < n; ++i)
      items.push_back(Value(i));
    return Record{{"x", Value::list(std::move(items))}};
  };
  Record expected = (*eager)(xs(elements));
  ASSERT_EQ((*compiled)(xs(2)), (*eager)(xs(2)));
  ASSERT_THAT(plan_stage_text(*compiled, PlanStage::IrOpt),
              HasSubstr(" = map "));
  held->pass = false;
  std::optional<Record> got;
  std::thread call([&] { got = (*compiled)(xs(elements)); });
  EXPECT_EQ(held->wait_held(elements), static_cast<std::size_t>(elements));
  // Should fewer be in flight, the others pass, so the call still ends.
  held->release(/*pass_from_now=*/true);
  call.join();
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, expected);
}

TEST(DetachedRun, ALongChainOfCallsThatCompleteAtOnceDoesNotNest) {
  // Each call completes before its start returns, so its successor is
  // ready while the thread is still starting it: run in a loop of its own
  // each time, 20,000 calls would nest 20,000 deep (past 8 MB of stack).
  constexpr int length = 20000;
  auto step = std::make_shared<Delayed>("Step", 1, /*inline_completion=*/true);
  OperatorPtr chain = ops::composite("Chain", x_to_y(), [step](const Record &in) {
    Value x = in.at("x");
    for (int i = 0; i < length; ++i)
      x = (*step)(Record{{"x", x}}).at("y");
    return Record{{"y", x}};
  });
  OperatorPtr compiled = jit(chain, {.strategy = Strategy::Structural});
  ASSERT_EQ((*compiled)(Record{{"x", 0}}), (Record{{"y", length}}));
  Outcomes outcomes(1);
  call_async(*compiled, Record{{"x", 1}}, outcomes.slot(0));
  ASSERT_EQ(outcomes.wait_all(), 1u);
  ASSERT_TRUE(outcomes[0].outputs) << describe(outcomes[0].error);
  EXPECT_EQ(*outcomes[0].outputs, (Record{{"y", length + 1}}));
}

TEST(DetachedRun, AnInputTheGraphLacksFailsTheCallAsTheEagerCallDoes) {
  auto held = std::make_shared<Held>(/*fail_odd=*/false);
  OperatorPtr compiled = jit(in_a_row(std::make_shared<Delayed>("D", 1), held));
  ASSERT_EQ((*compiled)(Record{{"x", 0}}), (Record{{"y", 2}}));
  Outcomes outcomes(1);
  call_async(*compiled, Record{{"z", 1}}, outcomes.slot(0));
  ASSERT_EQ(outcomes.wait_all(), 1u);
  EXPECT_THAT([&] { std::rethrow_exception(outcomes[0].error); },
              ::testing::ThrowsMessage<InputError>(HasSubstr("'x'")));
}

} // namespace
} // namespace xcs
