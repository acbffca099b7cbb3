//===- recovery_test.cpp - A failing node gives the eager outcome ---------===//
//
// When a node of a plan fails, a jit operator recovers what the eager call
// does: glue that catches, retries or substitutes behaves as it does
// eagerly, the caller sees the eager exception, and a serial run makes its
// calls in the eager order. Every test runs under the three strategies and
// serial and parallel worker counts.
//
//===----------------------------------------------------------------------===//

#include "xcs/error.h"
#include "xcs/jit.h"
#include "xcs/metrics.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <typeinfo>

namespace xcs {
namespace {

using ::testing::HasSubstr;

constexpr Strategy strategies[] = {Strategy::Trace, Strategy::Structural,
                                   Strategy::Auto};
constexpr unsigned worker_counts[] = {1, 2, 8};

/// A declared leaf {x: int} -> {y: int} that counts its calls and throws
/// std::runtime_error("NAME failed on X") when \p fails says so for x.
class Leaf : public Operator, public StructureDependency {
public:
  Leaf(std::string name, std::function<bool(std::int64_t)> fails,
       std::int64_t add = 1)
      : Operator(std::move(name),
                 Specification().input("x", Kind::Int).output("y", Kind::Int)),
        fails_(std::move(fails)), add_(add) {}

  Record forward(const Record &in) const override {
    ++calls;
    std::int64_t x = in.at("x").as_int();
    if (fails_(x))
      throw std::runtime_error(name() + " failed on " + std::to_string(x));
    return Record{{"y", x + add_}};
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("y"), {FieldId("x")}}};
  }

  mutable std::atomic<int> calls{0};

private:
  std::function<bool(std::int64_t)> fails_;
  std::int64_t add_;
};

std::shared_ptr<Leaf> leaf(std::string name,
                           std::function<bool(std::int64_t)> fails,
                           std::int64_t add = 1) {
  return std::make_shared<Leaf>(std::move(name), std::move(fails), add);
}

bool never(std::int64_t) { return false; }
bool negative(std::int64_t x) { return x < 0; }

/// {x: r's y}: a child's output routed to the next child's input.
Record as_x(const Record &r) { return Record{{"x", r.at("y")}}; }

Specification x_to_y() {
  return Specification().input("x", Kind::Int).output("y", Kind::Int);
}

/// The result as text, or the exception's type and message.
std::string outcome(const std::function<Record()> &run) {
  try {
    return run().to_string();
  } catch (const std::exception &e) {
    return std::string("threw ") + typeid(e).name() + ": " + e.what();
  }
}

/// Checks jit(op) against op on each input, for every strategy and worker
/// count: the first call (which builds the plan) uses inputs[0], on which
/// nothing fails; the later calls are served by the plan. \p leaves are
/// the counted leaves: a serial run must call each as often as eager.
void expect_eager_outcomes(const OperatorPtr &op,
                           const std::vector<std::int64_t> &inputs,
                           const std::vector<std::shared_ptr<Leaf>> &leaves) {
  auto counts = [&] {
    std::vector<int> result;
    for (const auto &l : leaves)
      result.push_back(l->calls.load());
    return result;
  };
  auto run_counted = [&](const std::function<Record()> &run,
                         std::vector<int> &delta) {
    std::vector<int> before = counts();
    std::string text = outcome(run);
    delta = counts();
    for (std::size_t i = 0; i < delta.size(); ++i)
      delta[i] -= before[i];
    return text;
  };
  for (Strategy strategy : strategies)
    for (unsigned workers : worker_counts) {
      OperatorPtr compiled =
          jit(op, {.strategy = strategy, .workers = workers});
      for (std::int64_t x : inputs) {
        Record input{{"x", x}};
        std::vector<int> eager_calls, plan_calls;
        std::string eager =
            run_counted([&] { return (*op)(input); }, eager_calls);
        std::string plan =
            run_counted([&] { return (*compiled)(input); }, plan_calls);
        EXPECT_EQ(plan, eager) << strategy_name(strategy)
                               << " workers=" << workers << " x=" << x;
        if (workers == 1) {
          EXPECT_EQ(plan_calls, eager_calls)
              << "calls per leaf, " << strategy_name(strategy) << " x=" << x;
        }
      }
    }
}

TEST(Recovery, GlueThatCatchesAChildsFailureReturnsItsFallback) {
  auto risky = leaf("Risky", negative);
  OperatorPtr op = ops::composite("Guarded", x_to_y(), [risky](const Record &in) {
    try {
      return (*risky)(in);
    } catch (const std::exception &) {
      return Record{{"y", 0}};
    }
  });
  expect_eager_outcomes(op, {1, -1, 2, -5}, {risky});
}

TEST(Recovery, GlueThatRetriesWithASecondModelGetsItsAnswer) {
  auto primary = leaf("Primary", negative);
  auto backup = leaf("Backup", never, 100);
  auto after = leaf("After", never);
  OperatorPtr op =
      ops::composite("Retry", x_to_y(), [=](const Record &in) {
        Record first;
        try {
          first = (*primary)(in);
        } catch (const std::runtime_error &) {
          first = (*backup)(in);
        }
        return (*after)(Record{{"x", first.at("y")}});
      });
  expect_eager_outcomes(op, {1, -3, 4}, {primary, backup, after});
}

TEST(Recovery, GlueThatRethrowsAnotherTypeThrowsIt) {
  auto risky = leaf("Risky", negative);
  OperatorPtr op =
      ops::composite("Rethrow", x_to_y(), [risky](const Record &in) {
        try {
          return (*risky)(in);
        } catch (const std::runtime_error &e) {
          throw std::logic_error(std::string("wrapped: ") + e.what());
        }
      });
  expect_eager_outcomes(op, {1, -2}, {risky});
  OperatorPtr compiled = jit(op, {.strategy = Strategy::Structural});
  EXPECT_THROW((*compiled)(Record{{"x", -1}}), std::logic_error);
}

TEST(Recovery, AFailureDeepInANestedCompositeReachesTheGlueThatCatchesIt) {
  auto a = leaf("A", never);
  auto deep = leaf("Deep", negative);
  OperatorPtr inner = ops::composite("Inner", x_to_y(), [=](const Record &in) {
    return (*deep)(as_x((*a)(in)));
  });
  OperatorPtr middle = ops::composite("Middle", x_to_y(), [=](const Record &in) {
    return (*inner)(in);
  });
  auto fallback = leaf("Fallback", never, 1000);
  OperatorPtr outer = ops::composite("Outer", x_to_y(), [=](const Record &in) {
    try {
      return (*middle)(in);
    } catch (const std::runtime_error &) {
      return (*fallback)(in);
    }
  });
  // x = -1: A gives 0, Deep succeeds; x = -5: A gives -4, Deep fails.
  expect_eager_outcomes(outer, {1, -5, 3, -1, -9}, {a, deep, fallback});
}

TEST(Recovery, AFailureInOneOfSeveralParallelBranchesGivesTheEagerOutcome) {
  std::vector<std::shared_ptr<Leaf>> members;
  for (int i = 0; i < 6; ++i)
    members.push_back(leaf("Member" + std::to_string(i),
                           [i](std::int64_t x) { return x == -i; }));
  auto judge = leaf("Judge", never);
  OperatorPtr op = ops::composite("Panel", x_to_y(), [=](const Record &in) {
    Record last;
    for (const auto &m : members) {
      try {
        last = (*m)(in);
      } catch (const std::runtime_error &) {
        last = Record{{"y", -100}};
      }
    }
    return (*judge)(Record{{"x", last.at("y")}});
  });
  members.push_back(judge);
  expect_eager_outcomes(op, {1, -3, 0, -5, 7}, members);
}

TEST(Recovery, ASerialRunStopsWhereTheEagerCallStops) {
  // Glue calls A, then Fail, then B on A's output: A and B form a chain,
  // but a serial plan must not run B before Fail, since the eager call
  // never reaches B when Fail throws.
  auto a = leaf("A", never);
  auto fail = leaf("Fail", negative);
  auto b = leaf("B", never);
  OperatorPtr op = ops::composite("AFailB", x_to_y(), [=](const Record &in) {
    Record ra = (*a)(in);
    (*fail)(in);
    return (*b)(as_x(ra));
  });
  expect_eager_outcomes(op, {1, -1, 2, -2}, {a, fail, b});
}

TEST(Recovery, APlanRunThrowsWhatTheFirstCallAndTheEagerCallThrow) {
  auto risky = leaf("Risky", negative);
  auto after = leaf("After", never);
  OperatorPtr op = ops::composite("Plain", x_to_y(), [=](const Record &in) {
    return (*after)(as_x((*risky)(in)));
  });
  std::string eager = outcome([&] { return (*op)(Record{{"x", -1}}); });
  EXPECT_THAT(eager, HasSubstr("Risky failed on -1"));
  for (Strategy strategy : strategies) {
    OperatorPtr traced_first = jit(op, {.strategy = strategy});
    // The first call fails while building the plan (trace) or in its
    // first run (structural); both throw the eager exception.
    EXPECT_EQ(outcome([&] { return (*traced_first)(Record{{"x", -1}}); }),
              eager);
    EXPECT_EQ(outcome([&] { return (*traced_first)(Record{{"x", 2}}); }),
              outcome([&] { return (*op)(Record{{"x", 2}}); }));
    EXPECT_EQ(outcome([&] { return (*traced_first)(Record{{"x", -1}}); }),
              eager)
        << strategy_name(strategy);
  }
}

TEST(Recovery, CallsTheRunCompletedAreNotMadeAgain) {
  auto a = leaf("A", never);
  auto b = leaf("B", negative);
  OperatorPtr op = ops::composite("AB", x_to_y(), [=](const Record &in) {
    Record ra = (*a)(in);
    try {
      return (*b)(as_x(ra));
    } catch (const std::runtime_error &) {
      return ra;
    }
  });
  OperatorPtr compiled = jit(op, {.strategy = Strategy::Structural});
  EXPECT_EQ((*compiled)(Record{{"x", 5}}), (Record{{"y", 7}}));
  int a_before = a->calls, b_before = b->calls;
  EXPECT_EQ((*compiled)(Record{{"x", -5}}), (Record{{"y", -4}}));
  EXPECT_EQ(a->calls - a_before, 1);
  EXPECT_EQ(b->calls - b_before, 1);
  EXPECT_EQ(JitPerformanceMetrics::report(*compiled).at("recoveries"), Value(1));
}

TEST(Recovery, NestedJitOperatorsRecoverTheSameWay) {
  auto risky = leaf("Risky", negative);
  OperatorPtr guarded =
      ops::composite("Guarded", x_to_y(), [risky](const Record &in) {
        try {
          return (*risky)(in);
        } catch (const std::exception &) {
          return Record{{"y", 0}};
        }
      });
  auto after = leaf("After", never);
  for (Strategy strategy : strategies) {
    OperatorPtr inner = jit(guarded, {.strategy = strategy});
    OperatorPtr outer_eager =
        ops::composite("Outer", x_to_y(), [=](const Record &in) {
          return (*after)(as_x((*guarded)(in)));
        });
    OperatorPtr outer = jit(
        ops::composite("Outer", x_to_y(),
                       [=](const Record &in) {
                         return (*after)(as_x((*inner)(in)));
                       }),
        {.strategy = strategy});
    for (std::int64_t x : {3, -3, 4, -1}) {
      Record input{{"x", x}};
      EXPECT_EQ(outcome([&] { return (*outer)(input); }),
                outcome([&] { return (*outer_eager)(input); }))
          << strategy_name(strategy) << " x=" << x;
      EXPECT_EQ(outcome([&] { return (*inner)(input); }),
                outcome([&] { return (*guarded)(input); }));
    }
  }
}

/// A composite whose glue adds its member `offset` to its child's output
/// but does not declare StateDependency: a plan built under one offset is
/// stale under another, and only verify mode can tell.
class Offset : public Operator, public Composite {
public:
  explicit Offset(std::shared_ptr<Leaf> child)
      : Operator("Offset", x_to_y()), child_(std::move(child)) {}
  Record forward(const Record &in) const override {
    Record out = (*child_)(in);
    if (offset.load() == 0)
      return out;
    return (*child_)(Record{{"x", out.at("y")}});
  }
  std::atomic<int> offset{0};

private:
  std::shared_ptr<Leaf> child_;
};

TEST(Verify, AMemberChangedWithoutStateDependencyIsReported) {
  auto op = std::make_shared<Offset>(leaf("Child", never));
  OperatorPtr compiled = jit(op, {.strategy = Strategy::Trace, .verify = true});
  EXPECT_EQ((*compiled)(Record{{"x", 1}}), (Record{{"y", 2}}));
  EXPECT_EQ((*compiled)(Record{{"x", 2}}), (Record{{"y", 3}}));
  op->offset = 1;
  try {
    (*compiled)(Record{{"x", 1}});
    FAIL() << "expected a VerifyError";
  } catch (const VerifyError &e) {
    EXPECT_THAT(e.what(), HasSubstr("jit 'Offset'"));
    EXPECT_THAT(e.what(), HasSubstr("on input {\"x\":1}"));
    EXPECT_THAT(e.what(), HasSubstr("field 'y': the plan gave 2, the eager "
                                    "call gave 3"));
    EXPECT_THAT(e.what(), HasSubstr("StateDependency"));
  }
  // Without verify mode the stale plan goes unnoticed: that is what the
  // mode is for.
  OperatorPtr unverified = jit(op, {.strategy = Strategy::Trace});
  op->offset = 0;
  (*unverified)(Record{{"x", 1}});
  op->offset = 1;
  EXPECT_EQ((*unverified)(Record{{"x", 1}}), (Record{{"y", 2}}));
}

TEST(Verify, EqualOutcomesPassIncludingEqualExceptions) {
  auto risky = leaf("Risky", negative);
  OperatorPtr op = ops::composite("Plain", x_to_y(), [risky](const Record &in) {
    return (*risky)(in);
  });
  OperatorPtr compiled = jit(op, {.verify = true});
  EXPECT_EQ((*compiled)(Record{{"x", 1}}), (Record{{"y", 2}}));
  int before = risky->calls;
  EXPECT_EQ((*compiled)(Record{{"x", 4}}), (Record{{"y", 5}}));
  // Verify runs the call twice: once through the plan, once eagerly.
  EXPECT_EQ(risky->calls - before, 2);
  EXPECT_THROW((*compiled)(Record{{"x", -1}}), std::runtime_error);
}

TEST(Verify, TheEnvironmentVariableTurnsItOn) {
  auto op = std::make_shared<Offset>(leaf("Child", never));
  ASSERT_EQ(setenv("XCS_JIT_VERIFY", "1", 1), 0);
  OperatorPtr compiled = jit(op, {.strategy = Strategy::Trace});
  unsetenv("XCS_JIT_VERIFY");
  (*compiled)(Record{{"x", 1}});
  op->offset = 1;
  EXPECT_THROW((*compiled)(Record{{"x", 1}}), VerifyError);
}

} // namespace
} // namespace xcs
