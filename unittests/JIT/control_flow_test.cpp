//===- control_flow_test.cpp - Structured operators under xcs::jit --------===//
//
// A jit operator over a pipeline with cond, switch_on, fallback and
// repeat_until returns what the eager call returns and throws what it
// throws, under every strategy and worker count: the taken branch's
// result, a failing branch's exception, fallback's error fields, the loop
// bound, a predicate that is not a bool. The structured operator is one
// node of the plan, not an opaque one: its siblings run concurrently with
// it, and a branch that is a composite runs as a plan of its own, its
// independent children concurrently (proven with barriers, not timing).
//
//===----------------------------------------------------------------------===//

#include "xcs/control_flow.h"
#include "xcs/error.h"
#include "xcs/jit.h"
#include "xcs/metrics.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <typeinfo>

namespace xcs {
namespace {

using ::testing::HasSubstr;

/// A declared leaf: the structural strategy takes it as a node.
class Leaf : public Operator, public StructureDependency {
public:
  Leaf(std::string name, Specification spec,
       std::function<Record(const Record &)> body)
      : Operator(std::move(name), std::move(spec)), body_(std::move(body)) {}
  Record forward(const Record &inputs) const override { return body_(inputs); }
  std::vector<FieldDependency> structural_dependencies() const override {
    return every_output_from_every_input(spec());
  }

private:
  std::function<Record(const Record &)> body_;
};

OperatorPtr leaf(std::string name, Specification spec,
                 std::function<Record(const Record &)> body) {
  return std::make_shared<Leaf>(std::move(name), std::move(spec),
                                std::move(body));
}

/// {q: string} -> {answer: string}: "<name>(<q>)"; throws a
/// std::runtime_error for the prompt "fail".
OperatorPtr model(const std::string &name) {
  return leaf(name,
              Specification().input("q", Kind::String).output("answer",
                                                              Kind::String),
              [name](const Record &in) {
                std::string q(in.at("q").as_string());
                if (q == "fail")
                  throw std::runtime_error(name + " failed on '" + q + "'");
                return Record{{"answer", name + "(" + q + ")"}};
              });
}

/// The outcome of \p call: the result's text, or the exception's type and
/// message.
std::string outcome(const std::function<Record()> &call) {
  try {
    return call().to_string();
  } catch (const std::exception &e) {
    return std::string("threw ") + typeid(e).name() + ": " + e.what();
  }
}

/// Checks that jit(\p op) gives \p op's eager outcome on every input, under
/// every strategy and worker count; each jit operator sees the inputs in
/// order, so the first builds the plan and the rest are served by it.
void expect_eager_outcomes(const OperatorPtr &op,
                           const std::vector<Record> &inputs) {
  std::vector<std::string> eager;
  for (const Record &input : inputs)
    eager.push_back(outcome([&] { return (*op)(input); }));
  for (Strategy strategy :
       {Strategy::Trace, Strategy::Structural, Strategy::Auto})
    for (unsigned workers : {1u, 2u, 64u}) {
      JitOptions options;
      options.strategy = strategy;
      options.workers = workers;
      OperatorPtr fast = jit(op, options);
      for (std::size_t i = 0; i < inputs.size(); ++i)
        EXPECT_EQ(outcome([&] { return (*fast)(inputs[i]); }), eager[i])
            << strategy_name(strategy) << ", " << workers << " workers, on "
            << inputs[i];
    }
}

/// The route pipeline: a classifier decides whether a question is hard
/// (a bool, or for "??" a string), then the strong or the cheap model
/// answers it.
OperatorPtr route() {
  OperatorPtr classify = leaf(
      "Classify", Specification().input("q", Kind::String).output("hard"),
      [](const Record &in) {
        std::string_view q = in.at("q").as_string();
        if (q == "??")
          return Record{{"hard", "maybe"}};
        return Record{{"hard", q.size() > 8}};
      });
  OperatorPtr choose = ops::cond("hard", model("Strong"), model("Cheap"));
  return ops::composite(
      "Route",
      Specification().input("q", Kind::String).output("answer", Kind::String),
      [classify, choose](const Record &in) {
        Record kind = (*classify)(in);
        return (*choose)(Record{{"hard", kind.at("hard")}, {"q", in.at("q")}});
      });
}

TEST(ControlFlowJit, CondGivesTheEagerOutcome) {
  expect_eager_outcomes(route(), {Record{{"q", "short"}},
                                  Record{{"q", "a much longer question"}},
                                  Record{{"q", "fail"}}, Record{{"q", "??"}},
                                  Record{{"q", "x"}}});
}

TEST(ControlFlowJit, NonBoolPredicateNamesOperatorAndField) {
  OperatorPtr fast = jit(route(), JitOptions{.strategy = Strategy::Structural});
  EXPECT_EQ((*fast)(Record{{"q", "hi"}}), (Record{{"answer", "Cheap(hi)"}}));
  EXPECT_THAT([&] { (*fast)(Record{{"q", "??"}}); },
              ::testing::ThrowsMessage<InputError>(
                  "operator 'Cond': input field 'hard': expected bool, got "
                  "string"));
}

TEST(ControlFlowJit, StructuredNodeIsNotOpaque) {
  OperatorPtr fast = jit(route(), JitOptions{.strategy = Strategy::Trace});
  (*fast)(Record{{"q", "hi"}});
  Record report = JitPerformanceMetrics::report(*fast);
  EXPECT_EQ(report.at("opaque_nodes"), Value(0));
  EXPECT_EQ(report.at("structured_nodes"), Value(1));
}

TEST(ControlFlowJit, SwitchFallbackAndRepeatGiveTheEagerOutcome) {
  OperatorPtr recover = leaf(
      "Recover",
      Specification()
          .input("q", Kind::String)
          .input("error_type", Kind::String)
          .input("error_message", Kind::String)
          .output("answer", Kind::String),
      [](const Record &in) {
        return Record{{"answer", std::string(in.at("error_type").as_string()) +
                                     ": " +
                                     std::string(in.at("error_message")
                                                     .as_string())}};
      });
  OperatorPtr safe = ops::fallback(model("Primary"), recover);
  OperatorPtr both_fail = ops::fallback(model("Primary"), model("Backup"));
  OperatorPtr by_lang = ops::switch_on(
      "lang", {{"fr", model("French")}, {"de", model("German")}},
      model("English"));
  // Lengthens the draft until it is long enough: done at once, after a
  // few rounds, or never within the bound.
  OperatorPtr lengthen = leaf(
      "Lengthen",
      Specification()
          .input("q", Kind::String)
          .output("q", Kind::String)
          .output("long", Kind::Bool),
      [](const Record &in) {
        std::string q = std::string(in.at("q").as_string()) + "+";
        return Record{{"q", q}, {"long", q.size() > 6}};
      });
  OperatorPtr loop = ops::repeat_until(lengthen, "long", 3);
  auto wrap = [](OperatorPtr inner) {
    return ops::composite("Wrap", inner->spec(),
                          [inner](const Record &in) { return (*inner)(in); });
  };
  std::vector<Record> prompts{Record{{"q", "ok"}}, Record{{"q", "fail"}},
                              Record{{"q", "longer"}}, Record{{"q", ""}}};
  expect_eager_outcomes(wrap(safe), prompts);
  expect_eager_outcomes(wrap(both_fail), prompts);
  expect_eager_outcomes(wrap(loop), prompts);
  expect_eager_outcomes(
      wrap(by_lang),
      {Record{{"lang", "fr"}, {"q", "a"}}, Record{{"lang", "de"}, {"q", "b"}},
       Record{{"lang", "it"}, {"q", "c"}}, Record{{"lang", 3}, {"q", "d"}},
       Record{{"lang", "de"}, {"q", "fail"}}});
}

TEST(ControlFlowJit, AStructuredOperatorCompiledOnItsOwn) {
  // The root itself is the structured operator: the plan is its one node.
  expect_eager_outcomes(ops::cond("hard", model("Strong"), model("Cheap")),
                        {Record{{"hard", true}, {"q", "a"}},
                         Record{{"hard", false}, {"q", "b"}},
                         Record{{"hard", "no"}, {"q", "c"}},
                         Record{{"hard", true}, {"q", "fail"}}});
  expect_eager_outcomes(ops::fallback(model("Primary"), model("Backup")),
                        {Record{{"q", "a"}}, Record{{"q", "fail"}}});
}

/// Calls of members of one group wait until \p parties of them have
/// arrived (up to 30 s, then go on alone), and record whether they met.
struct Meeting {
  explicit Meeting(int parties) : parties(parties) {}
  int parties;
  std::mutex mutex;
  std::condition_variable changed;
  int arrived = 0;
  std::atomic<int> met{0};

  void arrive() {
    std::unique_lock lock(mutex);
    ++arrived;
    changed.notify_all();
    if (changed.wait_for(lock, std::chrono::seconds(30),
                         [&] { return arrived >= parties; }))
      ++met;
  }
};

/// {q} -> {answer}: "<name>(<q>)" once the meeting's parties have arrived.
OperatorPtr member(const std::string &name, std::shared_ptr<Meeting> meeting) {
  return leaf(name,
              Specification().input("q", Kind::String).output("answer",
                                                              Kind::String),
              [name, meeting](const Record &in) {
                meeting->arrive();
                return Record{
                    {"answer", name + "(" + std::string(in.at("q").as_string()) +
                                   ")"}};
              });
}

TEST(ControlFlowJit, BranchInsidesAndSiblingsRunConcurrently) {
  // The then branch is a composite of two members; a third member is the
  // cond's sibling. Three parties: they meet only if the branch's two
  // members and the sibling all run at once.
  auto meeting = std::make_shared<Meeting>(3);
  OperatorPtr a = member("A", meeting), b = member("B", meeting);
  OperatorPtr pair = ops::composite(
      "Pair",
      Specification().input("q", Kind::String).output("answer", Kind::List),
      [a, b](const Record &in) {
        return Record{{"answer", Value::list({(*a)(in).at("answer"),
                                              (*b)(in).at("answer")})}};
      });
  OperatorPtr single = leaf(
      "Single",
      Specification().input("q", Kind::String).output("answer", Kind::List),
      [](const Record &in) {
        return Record{{"answer", Value::list({in.at("q")})}};
      });
  OperatorPtr choose = ops::cond("hard", pair, single);
  OperatorPtr sibling = member("Sibling", meeting);
  OperatorPtr pipeline = ops::composite(
      "Both",
      Specification()
          .input("q", Kind::String)
          .input("hard", Kind::Bool)
          .output("chosen", Kind::List)
          .output("other", Kind::String),
      [choose, sibling](const Record &in) {
        Record chosen = (*choose)(in);
        Record other = (*sibling)(Record{{"q", in.at("q")}});
        return Record{{"chosen", chosen.at("answer")},
                      {"other", other.at("answer")}};
      });
  OperatorPtr fast = jit(pipeline, JitOptions{.strategy = Strategy::Structural,
                                              .workers = 4});
  // The first call builds the plan without running anything; the branch's
  // own plan is built when it first runs.
  Record out = (*fast)(Record{{"q", "x"}, {"hard", true}});
  EXPECT_EQ(out, (Record{{"chosen", Value::list({"A(x)", "B(x)"})},
                         {"other", "Sibling(x)"}}));
  EXPECT_EQ(meeting->met.load(), 3);
  Record report = JitPerformanceMetrics::report(*fast);
  EXPECT_EQ(report.at("opaque_nodes"), Value(0));
}

TEST(ControlFlowJit, AnOpaquePlanSaysSoAndWhichOperatorHelps) {
  // "Ask again if the answer is short", with the choice in glue: the
  // trace keeps the whole composite one opaque node.
  OperatorPtr ask = model("Ask"), again = model("Again");
  OperatorPtr glue = ops::function(
      "AskAgain",
      Specification().input("q", Kind::String).output("answer", Kind::String),
      [ask, again](const Record &in) {
        Record first = (*ask)(in);
        if (first.at("answer").as_string().size() < 12)
          return (*again)(in);
        return first;
      });
  OperatorPtr fast = jit(glue, JitOptions{.strategy = Strategy::Trace});
  EXPECT_EQ((*fast)(Record{{"q", "hi"}}), (*glue)(Record{{"q", "hi"}}));
  Record report = JitPerformanceMetrics::report(*fast);
  EXPECT_EQ(report.at("opaque_nodes"), Value(1));
  ASSERT_TRUE(report.at("plan_note").is_string());
  EXPECT_THAT(std::string(report.at("plan_note").as_string()),
              HasSubstr("the plan is one opaque node 'AskAgain', so jit runs "
                        "its children one after another inside it (glue "
                        "reads the content"));
  EXPECT_THAT(std::string(report.at("plan_note").as_string()),
              HasSubstr("ops::cond"));
  EXPECT_THAT(JitPerformanceMetrics::format(report),
              HasSubstr("note:      the plan is one opaque node"));
}

} // namespace
} // namespace xcs
