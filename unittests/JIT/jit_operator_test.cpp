//===- jit_operator_test.cpp - xcs::jit, strategies, cache, metrics -------===//

#include "JIT/compiled_module.h"
#include "JIT/jit_cache.h"
#include "JIT/plan_builder.h"
#include "xcs/error.h"
#include "xcs/jit.h"
#include "xcs/metrics.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <mutex>
#include <optional>
#include <set>
#include <functional>
#include <thread>

namespace xcs {
namespace {

using ::testing::HasSubstr;

std::int64_t figure(const OperatorPtr &jit_op, std::string_view field) {
  return JitPerformanceMetrics::report(*jit_op).at(field).as_int();
}

/// The message of what \p op throws on \p input.
std::string failure(const OperatorPtr &op, const Record &input) {
  try {
    (*op)(input);
  } catch (const std::exception &e) {
    return e.what();
  }
  return "no failure";
}

Specification int_in_out(std::string_view in, std::string_view out) {
  return Specification().input(in, Kind::Int).output(out, Kind::Int);
}

/// y = 2x + 1 through two leaves, as pure routing.
OperatorPtr two_step() {
  return ops::sequence("TwoStep",
                       {ops::affine(2, 0, "x", "t"), ops::affine(1, 1, "t", "y")});
}

/// A composite whose glue is compiled into the plan and whose behaviour
/// depends on a state covered by its signature.
class Scaled : public Operator, public Composite, public StateDependency {
public:
  explicit Scaled(OperatorPtr times_two = ops::affine(2, 0))
      : Operator("Scaled", int_in_out("x", "y")),
        times_two_(std::move(times_two)), times_three_(ops::affine(3, 0)) {}

  Record forward(const Record &in) const override {
    return (*(triple_ ? times_three_ : times_two_))(in);
  }
  std::uint64_t state_signature() const override { return triple_ ? 2 : 1; }
  void set_triple(bool triple) { triple_ = triple; }

private:
  OperatorPtr times_two_, times_three_;
  std::atomic<bool> triple_{false};
};

/// An ensemble of three simulated model calls feeding a judge.
struct Panel {
  std::vector<std::shared_ptr<ops::ModelCall>> members;
  OperatorPtr op;
};

Panel panel(std::string fail_on = "") {
  Panel p;
  std::vector<OperatorPtr> members;
  for (int i = 1; i <= 3; ++i) {
    ops::ModelCallOptions options;
    options.name = "Member" + std::to_string(i);
    options.seed = i;
    options.vocabulary = 2;
    if (i == 1)
      options.fail_on = fail_on;
    p.members.push_back(ops::model_call(options));
    members.push_back(p.members.back());
  }
  OperatorPtr ensemble = ops::ensemble(members);
  OperatorPtr judge = ops::judge();
  p.op = ops::composite(
      "Panel",
      Specification().input("query", Kind::String).output("answer",
                                                          Kind::String),
      [=](const Record &in) {
        Record votes = (*ensemble)(Record{{"prompt", in.at("query")}});
        Record judged = (*judge)(Record{{"query", in.at("query")},
                                        {"responses", votes.at("responses")}});
        return Record{{"answer", judged.at("answer")}};
      });
  return p;
}

/// One bad JitOptions field: how to spoil the defaults, and the message,
/// which names the option and its value.
struct BadOptionCase {
  const char *name;
  void (*spoil)(JitOptions &options);
  const char *message;
};

class JitBadOptionTest : public ::testing::TestWithParam<BadOptionCase> {};

TEST_P(JitBadOptionTest, FailsWhenTheOperatorIsCreated) {
  JitOptions options;
  GetParam().spoil(options);
  EXPECT_THAT([&] { jit(two_step(), options); },
              ::testing::ThrowsMessage<InputError>(
                  ::testing::StrEq(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Options, JitBadOptionTest,
    ::testing::Values(
        BadOptionCase{
            "strategy",
            [](JitOptions &o) { o.strategy = static_cast<Strategy>(7); },
            "jit: invalid option: strategy 7 is not trace, structural or "
            "auto"},
        BadOptionCase{"optimization",
                      [](JitOptions &o) {
                        o.optimization = static_cast<OptimizationLevel>(3);
                      },
                      "jit: invalid option: optimization level 3 is not O0 "
                      "or O2"},
        BadOptionCase{"workers", [](JitOptions &o) { o.workers = 100000; },
                      "jit: invalid option: workers = 100000 exceeds 4096"},
        BadOptionCase{"max_plans_per_operator",
                      [](JitOptions &o) { o.max_plans_per_operator = 0; },
                      "jit: invalid option: max_plans_per_operator must be "
                      "at least 1"},
        BadOptionCase{"max_plans", [](JitOptions &o) { o.max_plans = 0; },
                      "jit: invalid option: max_plans must be at least 1"}),
    [](const auto &info) { return info.param.name; });

TEST(Jit, BadArgumentsNameWhatIsWrong) {
  EXPECT_THAT([] { jit(nullptr); },
              ::testing::ThrowsMessage<InputError>(
                  ::testing::StrEq("jit: the operator is null")));
  EXPECT_THAT([] { parse_strategy("fast"); },
              ::testing::ThrowsMessage<InputError>(::testing::StrEq(
                  "unknown strategy 'fast' (expected trace, structural or "
                  "auto)")));
  EXPECT_EQ(parse_strategy("structural"), Strategy::Structural);
  unsigned before = default_workers();
  EXPECT_THAT([] { set_default_workers(4097); },
              ::testing::ThrowsMessage<InputError>(::testing::StrEq(
                  "jit: default workers = 4097 exceeds 4096")));
  EXPECT_EQ(default_workers(), before);
}

TEST(Jit, DestroyingTheOperatorReleasesItsPlansAndMachineCode) {
  std::size_t before = live_compiled_modules();
  std::size_t plans_before = JITCache::global().size();
  {
    OperatorPtr op = jit(two_step());
    EXPECT_EQ((*op)(Record{{"x", 3}}), (Record{{"y", 7}}));
    EXPECT_EQ(JITCache::global().size(), plans_before + 1);
    EXPECT_GT(live_compiled_modules(), before);
  }
  EXPECT_EQ(JITCache::global().size(), plans_before);
  EXPECT_EQ(live_compiled_modules(), before);
}

TEST(Jit, StateSignatureChangeMissesAndReplacesThePlan) {
  auto scaled = std::make_shared<Scaled>();
  OperatorPtr op = jit(scaled);
  Record in{{"x", 5}};
  EXPECT_EQ((*op)(in), (Record{{"y", 10}}));
  EXPECT_EQ((*op)(in), (Record{{"y", 10}}));
  EXPECT_EQ(figure(op, "hits"), 1);
  scaled->set_triple(true);
  EXPECT_EQ((*op)(in), (Record{{"y", 15}}));
  EXPECT_EQ(figure(op, "misses"), 2);
  EXPECT_EQ((*op)(in), (Record{{"y", 15}}));
  EXPECT_EQ(figure(op, "hits"), 2);
  EXPECT_EQ(figure(op, "plans"), 1);
}

TEST(Jit, StateChangedWhileThePlanIsBuiltInvalidatesThePlan) {
  // The doubling child switches its parent to tripling: the state changes
  // after the glue read it, as when another thread changes it mid-call.
  auto on_doubling = std::make_shared<std::function<void()>>();
  OperatorPtr doubling = ops::function(
      "Doubling", int_in_out("x", "y"), [on_doubling](const Record &in) {
        (*on_doubling)();
        return Record{{"y", in.at("x").as_int() * 2}};
      });
  auto scaled = std::make_shared<Scaled>(doubling);
  *on_doubling = [raw = scaled.get()] { raw->set_triple(true); };
  JitOptions options;
  options.strategy = Strategy::Trace;
  OperatorPtr op = jit(scaled, options);
  Record in{{"x", 5}};
  EXPECT_EQ((*op)(in), (Record{{"y", 10}}));
  // A plan of the doubling glue under the tripling signature would double.
  EXPECT_EQ(figure(op, "plans"), 0);
  EXPECT_EQ((*op)(in), (Record{{"y", 15}}));
  EXPECT_EQ((*op)(in), (Record{{"y", 15}}));
  EXPECT_EQ(figure(op, "hits"), 1);
}

TEST(Jit, CounterIsNeverMemoized) {
  OperatorPtr op = jit(ops::counter());
  for (int expected = 1; expected <= 3; ++expected)
    EXPECT_EQ((*op)(Record{}), (Record{{"count", expected}}));
}

TEST(Jit, CachedPlansRunTheLeavesOnEveryCall) {
  Panel p = panel();
  OperatorPtr op = jit(p.op, JitOptions{Strategy::Trace});
  for (const char *query : {"a", "b", "c", "a"}) {
    Record in{{"query", query}};
    EXPECT_EQ((*op)(in), (*p.op)(in)) << query;
  }
  // Four jit calls and four eager calls, each running every member once.
  for (const auto &member : p.members)
    EXPECT_EQ(member->calls(), 8u);
  EXPECT_EQ(figure(op, "hits"), 3);
}

TEST(Jit, NestedJitGivesTheEagerResult) {
  OperatorPtr inner_eager = two_step();
  OperatorPtr inner = jit(inner_eager);
  auto outer_body = [](OperatorPtr child) {
    return ops::composite("Outer", int_in_out("x", "y"),
                          [child](const Record &in) {
                            Record once = (*child)(in);
                            return (*child)(Record{{"x", once.at("y")}});
                          });
  };
  OperatorPtr eager = outer_body(inner_eager);
  for (Strategy strategy :
       {Strategy::Trace, Strategy::Structural, Strategy::Auto}) {
    OperatorPtr outer = jit(outer_body(inner), JitOptions{strategy});
    for (int x : {5, 10, 0, -5})
      EXPECT_EQ((*outer)(Record{{"x", x}}), (*eager)(Record{{"x", x}}))
          << strategy_name(strategy) << " x=" << x;
  }
}

TEST(Jit, FailingMemberReachesTheCallerAndThePlanStaysUsable) {
  Panel p = panel("boom");
  OperatorPtr op = jit(p.op, JitOptions{Strategy::Structural});
  EXPECT_EQ((*op)(Record{{"query", "fine"}}), (*p.op)(Record{{"query", "fine"}}));
  // The caller sees what the eager call throws: the member's own
  // exception, not an ExecutionError about the plan's node.
  try {
    (*op)(Record{{"query", "boom"}});
    FAIL() << "expected the member's exception";
  } catch (const ExecutionError &e) {
    FAIL() << "a jit operator threw the plan's ExecutionError: " << e.what();
  } catch (const std::runtime_error &e) {
    EXPECT_THAT(e.what(), HasSubstr("model 'Member1' failed"));
  }
  EXPECT_EQ((*op)(Record{{"query", "again"}}),
            (*p.op)(Record{{"query", "again"}}));
}

TEST(Jit, RouterGivesCorrectResultsOnBothBranches) {
  OperatorPtr negative = ops::affine(-1, 0);
  OperatorPtr positive = ops::affine(1, 100);
  OperatorPtr router =
      ops::composite("Router", int_in_out("x", "y"), [=](const Record &in) {
        return (*(in.at("x").as_int() < 0 ? negative : positive))(in);
      });
  for (Strategy strategy :
       {Strategy::Trace, Strategy::Auto}) {
    OperatorPtr op = jit(router, JitOptions{strategy});
    for (int x : {3, -3, 0, -7, 8})
      EXPECT_EQ((*op)(Record{{"x", x}}), (*router)(Record{{"x", x}}))
          << strategy_name(strategy) << " x=" << x;
  }
  EXPECT_THAT([&] { (*jit(router, JitOptions{Strategy::Structural}))(
                       Record{{"x", 1}}); },
              ::testing::ThrowsMessage<CompileError>(
                  HasSubstr("reads the content of graph input 'x'")));
}

TEST(Jit, FiftyThreadsWithDifferentInputs) {
  OperatorPtr eager = ops::example("diamond").op;
  OperatorPtr op = jit(eager);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 50; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        Record in{{"x", t * 100 + i}};
        if ((*op)(in) != (*eager)(in))
          ++wrong;
      }
    });
  for (std::thread &thread : threads)
    thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(figure(op, "calls"), 1000);
}

TEST(Jit, StructuralBuildRunsNoModelCall) {
  Panel p = panel();
  BuiltPlan plan = build_plan(p.op, Record{{"query", "q"}},
                              Strategy::Structural, OptLevel::O0);
  EXPECT_EQ(plan.strategy, Strategy::Structural);
  for (const auto &member : p.members)
    EXPECT_EQ(member->calls(), 0u);
  EXPECT_EQ(plan.graph.operator_nodes().size(), 4u);
  ASSERT_TRUE(plan.compiled);
  EXPECT_EQ(plan.compiled->run(Record{{"query", "q"}}),
            (*p.op)(Record{{"query", "q"}}));
}

TEST(Jit, AutoSaysWhichStrategyItChoseAndWhy) {
  OperatorPtr structural = jit(ops::example("diamond").op);
  (*structural)(Record{{"x", 1}});
  Record report = JitPerformanceMetrics::report(*structural);
  EXPECT_EQ(report.at("strategy"), Value("structural"));

  OperatorPtr leaf_like = ops::function(
      "Opaque", int_in_out("x", "y"),
      [](const Record &in) { return Record{{"y", in.at("x")}}; });
  OperatorPtr traced = jit(leaf_like);
  (*traced)(Record{{"x", 1}});
  report = JitPerformanceMetrics::report(*traced);
  EXPECT_EQ(report.at("strategy"), Value("trace"));
  EXPECT_THAT(std::string(report.at("strategy_reason").as_string()),
              HasSubstr("neither a Composite nor a declared leaf"));
  EXPECT_THAT(JitPerformanceMetrics::format(report), HasSubstr("strategy:  trace"));
}

TEST(Jit, EveryStrategyMatchesEagerOnEveryExample) {
  for (const std::string &name : ops::example_names())
    for (Strategy strategy :
         {Strategy::Trace, Strategy::Structural, Strategy::Auto}) {
      ops::Example example = ops::example(name);
      // Its glue reads a value: structural cannot compile it (docs/jit.md).
      if (name == "ask-again-glue" && strategy == Strategy::Structural)
        continue;
      OperatorPtr op = jit(example.op, JitOptions{strategy});
      bool asks = example.input.contains("query");
      bool maps = example.input.contains("questions");
      std::vector<Record> inputs;
      if (maps)
        for (Value questions :
             {Value::list({}), Value::list({Value("a"), Value("b")}),
              Value::list({Value("a"), Value(5)})})
          inputs.push_back(Record{{"questions", questions}, {"style", "s"}});
      else if (asks)
        for (const char *q : {"5", "10", "0", "-5", "a string"})
          inputs.push_back(Record{{"query", q}});
      else
        for (int x : {5, 10, 0, -5})
          inputs.push_back(Record{{"x", x}});
      // The result, or what was thrown (a map element of the wrong kind).
      auto outcome = [](const OperatorPtr &called, const Record &in) {
        std::string failed = failure(called, in);
        return failed == "no failure" ? (*called)(in).to_string() : failed;
      };
      for (const Record &in : inputs)
        EXPECT_EQ(outcome(op, in), outcome(example.op, in))
            << name << " " << strategy_name(strategy) << " " << in;
      if (!asks && !maps) {
        Record text{{"x", "a string"}};
        EXPECT_EQ(failure(op, text), failure(example.op, text)) << name;
        EXPECT_THAT(failure(op, text), HasSubstr("expected int"));
      }
    }
}

TEST(Jit, PastThePerOperatorBoundCallsRunEagerly) {
  JitOptions options;
  options.max_plans_per_operator = 1;
  OperatorPtr eager = ops::identity({"v"});
  OperatorPtr op = jit(eager, options);
  EXPECT_EQ((*op)(Record{{"v", 1}}), (Record{{"v", 1}}));
  EXPECT_EQ((*op)(Record{{"v", "text"}}), (Record{{"v", "text"}}));
  EXPECT_EQ(figure(op, "eager_calls"), 1);
  EXPECT_EQ(figure(op, "plans"), 1);
}

TEST(Jit, GlobalBoundEvictsTheLeastRecentlyUsedPlan) {
  JitOptions options;
  options.max_plans = JITCache::global().size() + 1;
  OperatorPtr first = jit(two_step(), options);
  OperatorPtr second = jit(two_step(), options);
  (*first)(Record{{"x", 1}});
  (*second)(Record{{"x", 1}});
  EXPECT_EQ(figure(first, "plans"), 0);
  EXPECT_EQ(figure(second, "plans"), 1);
  EXPECT_EQ((*first)(Record{{"x", 2}}), (Record{{"y", 5}}));
  EXPECT_EQ(figure(first, "misses"), 2);
}

TEST(Jit, ForceTraceRunsForRealOnEveryCall) {
  Panel p = panel();
  JitOptions options;
  options.force_trace = true;
  OperatorPtr op = jit(p.op, options);
  (*op)(Record{{"query", "q"}});
  (*op)(Record{{"query", "q"}});
  EXPECT_EQ(figure(op, "misses"), 2);
  EXPECT_EQ(figure(op, "hits"), 0);
  EXPECT_EQ(p.members[0]->calls(), 2u);
}

TEST(Jit, MetricsReportNamesEveryFigure) {
  OperatorPtr op = jit(two_step());
  (*op)(Record{{"x", 1}});
  Record report = JitPerformanceMetrics::report(*op);
  for (const char *field : {"calls", "hits", "misses", "eager_calls",
                            "trace_ns", "compile_ns", "execution_ns", "plans",
                            "workers", "strategy", "strategy_reason"})
    EXPECT_TRUE(report.contains(field)) << field;
  EXPECT_GT(report.at("compile_ns").as_int(), 0);
  EXPECT_GE(JitPerformanceMetrics::report().at("calls").as_int(), 1);
  // The workers runs use, not the option's 0 (the default) or its count
  // when Parallelism::Never makes runs serial.
  EXPECT_EQ(report.at("workers").as_int(),
            static_cast<std::int64_t>(default_workers()));
  OperatorPtr serial = jit(two_step(), {.workers = 8,
                                        .parallelism = Parallelism::Never});
  EXPECT_EQ(JitPerformanceMetrics::report(*serial).at("workers").as_int(), 1);
  OperatorPtr eager = two_step();
  EXPECT_THAT([&] { JitPerformanceMetrics::report(*eager); },
              ::testing::ThrowsMessage<InputError>(
                  HasSubstr("metrics: operator '" + eager->name() +
                            "' is not a jit operator")));
}

/// A synchronous declared leaf that notes the thread it runs on and, with
/// a barrier, waits there until all its parties have arrived.
class Meet : public Operator, public StructureDependency {
public:
  struct Shared {
    std::optional<std::barrier<>> barrier;
    std::mutex mutex;
    std::set<std::thread::id> threads;
  };
  Meet(int index, std::shared_ptr<Shared> shared)
      : Operator("Meet" + std::to_string(index),
                 Specification().input("prompt").output("response")),
        shared_(std::move(shared)) {}
  Record forward(const Record &in) const override {
    {
      std::lock_guard lock(shared_->mutex);
      shared_->threads.insert(std::this_thread::get_id());
    }
    if (shared_->barrier)
      shared_->barrier->arrive_and_wait();
    return Record{{"response", in.at("prompt")}};
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("response"), {FieldId("prompt")}}};
  }

private:
  std::shared_ptr<Shared> shared_;
};

/// An ensemble of \p members Meet leaves, compiled structurally: its first
/// call already runs the plan (an eager call of members that meet at a
/// barrier would wait forever).
OperatorPtr meeting(int members, const std::shared_ptr<Meet::Shared> &shared,
                    Parallelism parallelism) {
  std::vector<OperatorPtr> list;
  for (int i = 0; i < members; ++i)
    list.push_back(std::make_shared<Meet>(i, shared));
  return jit(ops::ensemble(std::move(list)),
             {.strategy = Strategy::Structural,
              .workers = static_cast<unsigned>(members),
              .parallelism = parallelism});
}

TEST(Jit, ParallelismAlwaysNeverRunsMembersThatMeetSerially) {
  // Four members meet at a barrier: a serial run would deadlock, and the
  // runs are cheap, which under auto may make the plan serial.
  auto shared = std::make_shared<Meet::Shared>();
  shared->barrier.emplace(4);
  OperatorPtr op = meeting(4, shared, Parallelism::Always);
  for (int call = 0; call < 50; ++call)
    EXPECT_EQ((*op)(Record{{"prompt", "p"}}).at("responses").as_list().size(),
              4u);
  EXPECT_GT(shared->threads.size(), 1u);
}

TEST(Jit, ParallelismNeverRunsEveryCallOnTheCaller) {
  auto shared = std::make_shared<Meet::Shared>();
  OperatorPtr op = meeting(8, shared, Parallelism::Never);
  for (int call = 0; call < 5; ++call)
    (*op)(Record{{"prompt", "p"}});
  EXPECT_EQ(shared->threads,
            std::set<std::thread::id>{std::this_thread::get_id()});
  EXPECT_THAT([] { jit(ops::affine(1, 1), {.parallelism = Parallelism(7)}); },
              ::testing::ThrowsMessage<InputError>(
                  HasSubstr("parallelism 7 is not auto, always or never")));
}

// A glue typo fails through a plan as it fails eagerly, naming the
// operator and the field, on the first call and on every call after it,
// under every strategy.
TEST(Jit, AGlueTypoFailsAsTheEagerCallDoes) {
  ops::ModelCallOptions options;
  options.name = "M1";
  OperatorPtr ensemble = ops::ensemble({ops::model_call(options)}, "prompt");
  OperatorPtr root = ops::composite(
      "Pipeline",
      Specification().input("question", Kind::String).output("responses"),
      [ensemble](const Record &in) {
        Record typo;
        typo.set("promt", in.at("question"));
        return (*ensemble)(typo);
      });
  Record input{{"question", "Why?"}};
  std::string eager;
  try {
    (*root)(input);
  } catch (const InputError &error) {
    eager = error.what();
  }
  EXPECT_EQ(eager,
            "operator 'Ensemble': input field 'prompt': missing (expected "
            "string)");
  for (Strategy strategy :
       {Strategy::Auto, Strategy::Trace, Strategy::Structural}) {
    OperatorPtr compiled = jit(root, {.strategy = strategy});
    for (int call = 0; call < 2; ++call)
      EXPECT_THAT([&] { (*compiled)(input); },
                  ::testing::ThrowsMessage<InputError>(eager))
          << strategy_name(strategy) << " call " << call;
  }
}

} // namespace
} // namespace xcs
