//===- Batch/vmap_test.cpp - Mapping an operator over lists ---------------===//
///
/// \file
/// vmap's element semantics against eager calls of the element operator,
/// mapped and broadcast fields, empty lists, length mismatches, element
/// failures (failing the call, or per element), nesting, concurrency
/// (proven with a gate no element passes until all have started) and both
/// orders of composition with xcs::jit under every strategy.
///
//===----------------------------------------------------------------------===//

#include "xcs/vmap.h"

#include "xcs/async.h"
#include "xcs/error.h"
#include "xcs/jit.h"
#include "xcs/json.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace xcs {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

Value strings(std::vector<std::string> items) {
  std::vector<Value> values(items.begin(), items.end());
  return Value::list(std::move(values));
}

/// {prompt, style} -> {text}: "STYLE:PROMPT", failing on "boom".
OperatorPtr styled() {
  return ops::function(
      "Styled",
      Specification()
          .input("prompt", Kind::String)
          .input("style", Kind::String)
          .output("text", Kind::String),
      [](const Record &in) {
        std::string prompt(in.at("prompt").as_string());
        if (prompt == "boom")
          throw InputError("operator 'Styled': cannot style 'boom'");
        return Record{
            {"text", std::string(in.at("style").as_string()) + ":" + prompt}};
      });
}

/// {prompt, style} -> {text}: a simulated model with \p options, then the
/// format \p text, as a user composes a pipeline; made of declared leaves,
/// so that jit finds its plan on symbols (a mapped call of it is a map
/// node).
OperatorPtr model_then_format(std::string name, ops::ModelCallOptions options,
                              std::string text) {
  OperatorPtr model = ops::model_call(std::move(options));
  OperatorPtr format = ops::format(std::move(text), "text");
  return ops::composite(
      std::move(name),
      Specification()
          .input("prompt", Kind::String)
          .input("style", Kind::String)
          .output("text", Kind::String),
      [model, format](const Record &in) {
        Record answer = (*model)(Record{{"prompt", in.at("prompt")}});
        return (*format)(Record{{"style", in.at("style")},
                                {"response", answer.at("response")}});
      });
}

OperatorPtr pipeline() {
  ops::ModelCallOptions options;
  options.name = "Model";
  options.seed = 3;
  return model_then_format("Pipeline", options, "{style}: {response}");
}

TEST(VmapTest, EachElementIsTheEagerCallOnIt) {
  OperatorPtr element = pipeline();
  OperatorPtr mapped = vmap(element, {"prompt"});
  std::vector<std::string> prompts{"a", "bb", "ccc", "dddd", "e"};
  Record out = (*mapped)(
      Record{{"prompt", strings(prompts)}, {"style", "terse"}});
  ASSERT_EQ(out.at("text").as_list().size(), prompts.size());
  for (std::size_t i = 0; i < prompts.size(); ++i)
    EXPECT_EQ(out.at("text").as_list()[i],
              (*element)(Record{{"prompt", prompts[i]}, {"style", "terse"}})
                  .at("text"));
  EXPECT_EQ(mapped->name(), "vmap(Pipeline)");
}

TEST(VmapTest, SeveralMappedFieldsGoTogether) {
  OperatorPtr mapped = vmap(styled(), {"prompt", "style"});
  Record out = (*mapped)(Record{{"prompt", strings({"x", "y"})},
                                {"style", strings({"A", "B"})}});
  EXPECT_EQ(out.at("text"), strings({"A:x", "B:y"}));
}

TEST(VmapTest, EmptyListsCallNothing) {
  std::atomic<int> calls{0};
  OperatorPtr counted = ops::function(
      "Counted", Specification().input("x").output("y"),
      [&](const Record &in) {
        ++calls;
        return Record{{"y", in.at("x")}};
      });
  Record out = (*vmap(counted, {"x"}))(Record{{"x", Value::list({})}});
  EXPECT_EQ(out.at("y"), Value::list({}));
  EXPECT_EQ(calls.load(), 0);
}

TEST(VmapTest, ListsOfDifferentLengthsAreAnError) {
  OperatorPtr mapped = vmap(styled(), {"prompt", "style"});
  EXPECT_THAT(
      [&] {
        (*mapped)(Record{{"prompt", strings({"x", "y", "z"})},
                         {"style", strings({"A", "B"})}});
      },
      ThrowsMessage<InputError>(
          "operator 'vmap(Styled)': mapped fields have different lengths: "
          "prompt has 3, style has 2"));
  EXPECT_THAT([&] { (*mapped)(Record{{"prompt", "x"}, {"style", "A"}}); },
              ThrowsMessage<InputError>(HasSubstr(
                  "input field 'prompt': expected list, got string")));
}

TEST(VmapTest, BadMappingsAreRejectedWhenMade) {
  EXPECT_THAT([] { vmap(styled(), {}); },
              ThrowsMessage<InputError>(HasSubstr("no mapped fields")));
  EXPECT_THAT([] { vmap(styled(), {"promt"}); },
              ThrowsMessage<InputError>(HasSubstr(
                  "field 'promt' is not an input of operator 'Styled'")));
  EXPECT_THAT([] { vmap(styled(), {"prompt", "prompt"}); },
              ThrowsMessage<InputError>(HasSubstr("mapped twice")));
  EXPECT_THAT([] { vmap(nullptr, {"x"}); },
              ThrowsMessage<InputError>(HasSubstr("the operator is null")));
  EXPECT_THAT(
      [] {
        vmap(styled(), {"prompt"},
             {.per_element_outcomes = true, .errors_field = "text"});
      },
      ThrowsMessage<InputError>(HasSubstr("is also an output")));
}

TEST(VmapTest, AFailedElementFailsTheCallWithItsIndex) {
  OperatorPtr mapped = vmap(styled(), {"prompt"});
  Record input{{"prompt", strings({"ok", "boom", "fine", "boom"})},
               {"style", "s"}};
  try {
    (*mapped)(input);
    FAIL() << "no error";
  } catch (const ElementError &error) {
    // The lowest failed index, whichever finished first.
    EXPECT_EQ(error.index(), 1u);
    EXPECT_EQ(std::string(error.what()),
              "operator 'vmap(Styled)': element 1: operator 'Styled': cannot "
              "style 'boom'");
    EXPECT_THROW(error.rethrow_cause(), InputError);
  }
}

TEST(VmapTest, PerElementOutcomesKeepEveryResult) {
  OperatorPtr mapped =
      vmap(styled(), {"prompt"}, {.per_element_outcomes = true});
  Record out = (*mapped)(
      Record{{"prompt", strings({"ok", "boom", "fine"})}, {"style", "s"}});
  EXPECT_EQ(out.at("text"), Value::list({"s:ok", Value(), "s:fine"}));
  const auto &errors = out.at("errors").as_list();
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_TRUE(errors[0].is_null());
  EXPECT_EQ(errors[1].as_record().at("type"), Value("xcs::InputError"));
  EXPECT_EQ(errors[1].as_record().at("message"),
            Value("operator 'Styled': cannot style 'boom'"));
  EXPECT_TRUE(errors[2].is_null());
}

TEST(VmapTest, NestedVmapMapsListsOfLists) {
  OperatorPtr inner = vmap(styled(), {"prompt"});
  OperatorPtr outer = vmap(inner, {"prompt"});
  Record out = (*outer)(Record{
      {"prompt", Value::list({strings({"a", "b"}), strings({}),
                              strings({"c"})})},
      {"style", "s"}});
  EXPECT_EQ(out.at("text"), Value::list({strings({"s:a", "s:b"}), strings({}),
                                         strings({"s:c"})}));
}

/// {x} -> {x}: every call waits until \p count calls have started, so the
/// calls of one vmap call finish only if they all run at once.
OperatorPtr gate(int count) {
  struct Gate {
    std::mutex mutex;
    std::condition_variable all_started;
    int started = 0;
  };
  auto state = std::make_shared<Gate>();
  return ops::function("Gate", Specification().input("x").output("x"),
                       [state, count](const Record &in) {
                         std::unique_lock lock(state->mutex);
                         if (++state->started == count)
                           state->all_started.notify_all();
                         state->all_started.wait(lock, [&] {
                           return state->started >= count;
                         });
                         return in;
                       });
}

TEST(VmapTest, ElementsRunConcurrently) {
  constexpr int count = 8;
  OperatorPtr mapped = vmap(gate(count), {"x"}, {.threads = count});
  std::vector<Value> xs;
  for (int i = 0; i < count; ++i)
    xs.push_back(Value(i));
  EXPECT_EQ((*mapped)(Record{{"x", Value::list(xs)}}).at("x"),
            Value::list(xs));
}

TEST(VmapTest, ComposesWithJitInBothOrdersUnderEveryStrategy) {
  std::vector<std::string> prompts{"p0", "p1", "boom?", "p3"};
  Record input{{"prompt", strings(prompts)}, {"style", "s"}};
  Record expected = (*vmap(pipeline(), {"prompt"}))(input);
  for (Strategy strategy :
       {Strategy::Trace, Strategy::Structural, Strategy::Auto})
    for (unsigned workers : {1u, 2u, 64u}) {
      JitOptions options{.strategy = strategy, .workers = workers};
      OperatorPtr inside = vmap(jit(pipeline(), options), {"prompt"});
      OperatorPtr outside = jit(vmap(pipeline(), {"prompt"}), options);
      for (int call = 0; call < 2; ++call) {
        EXPECT_EQ((*inside)(input), expected) << strategy_name(strategy);
        EXPECT_EQ((*outside)(input), expected) << strategy_name(strategy);
      }
      // Another length reuses nothing it should not.
      Record two{{"prompt", strings({"q", "r"})}, {"style", "t"}};
      EXPECT_EQ((*outside)(two), (*vmap(pipeline(), {"prompt"}))(two));
    }
}

// jit(vmap(p)) compiles p once, whatever the lists' lengths: p's glue runs
// while its plan is built (on symbols, or traced once), and the plan serves
// every element after. Eagerly, the glue runs once per element.
TEST(VmapTest, AJitOfVmapCompilesTheElementOnce) {
  auto glue_runs = std::make_shared<std::atomic<int>>(0);
  OperatorPtr add_one = ops::affine(1, 1);
  OperatorPtr element = ops::composite(
      "AddOne",
      Specification().input("x", Kind::Int).output("y", Kind::Int),
      [add_one, glue_runs](const Record &in) {
        ++*glue_runs;
        return (*add_one)(Record{{"x", in.at("x")}});
      });
  Record three{{"x", Value::list({1, 2, 3})}};
  Record five{{"x", Value::list({1, 2, 3, 4, 5})}};
  (*vmap(element, {"x"}))(five);
  EXPECT_EQ(glue_runs->load(), 5);
  for (Strategy strategy : {Strategy::Trace, Strategy::Structural}) {
    glue_runs->store(0);
    OperatorPtr compiled = jit(vmap(element, {"x"}), {.strategy = strategy});
    // The first call builds the plan: traced, it is the eager call (three
    // glue runs); on symbols, it builds the element's plan (one).
    EXPECT_EQ((*compiled)(three).at("y"), Value::list({2, 3, 4}));
    EXPECT_EQ((*compiled)(five).at("y"), Value::list({2, 3, 4, 5, 6}));
    int built = glue_runs->load();
    EXPECT_LE(built, 4) << strategy_name(strategy);
    EXPECT_EQ((*compiled)(three).at("y"), Value::list({2, 3, 4}));
    EXPECT_EQ((*compiled)(five).at("y"), Value::list({2, 3, 4, 5, 6}));
    EXPECT_EQ(glue_runs->load(), built) << strategy_name(strategy);
  }
}

TEST(VmapTest, AJitOfVmapFailsAsTheEagerCallDoes) {
  Record input{{"prompt", strings({"ok", "boom"})}, {"style", "s"}};
  OperatorPtr eager = vmap(styled(), {"prompt"});
  std::string message;
  try {
    (*eager)(input);
  } catch (const ElementError &error) {
    message = error.what();
  }
  ASSERT_FALSE(message.empty());
  for (Strategy strategy :
       {Strategy::Trace, Strategy::Structural, Strategy::Auto}) {
    OperatorPtr compiled =
        jit(vmap(styled(), {"prompt"}), {.strategy = strategy});
    for (int call = 0; call < 2; ++call)
      EXPECT_THAT([&] { (*compiled)(input); },
                  ThrowsMessage<ElementError>(message))
          << strategy_name(strategy);
  }
}

TEST(VmapTest, AVmapOfAModelInsideAJitCompositeIsTracedAsTheEagerCall) {
  // Traced, the composite's vmap calls the model under the trace's
  // observer: its elements must run where the trace sees them.
  ops::ModelCallOptions model;
  model.name = "M";
  OperatorPtr mapped = vmap(ops::model_call(model), {"prompt"});
  OperatorPtr outer = ops::composite(
      "Outer",
      Specification().input("prompt", Kind::List).output("response", Kind::List),
      [mapped](const Record &in) { return (*mapped)(in); });
  Record in{{"prompt", strings({"a", "b", "c"})}};
  Record eager = (*outer)(in);
  for (Strategy strategy :
       {Strategy::Trace, Strategy::Structural, Strategy::Auto})
    EXPECT_EQ((*jit(outer, {.strategy = strategy}))(in), eager)
        << strategy_name(strategy);
}

// The plan of jit(vmap(p)) holds a map node whose body is p's plan (a
// graph of the module, compiled once), not a call of an opaque operator.
TEST(VmapMapNodeTest, TheMappedCallIsAMapNodeOverTheElementsPlan) {
  for (Strategy strategy :
       {Strategy::Trace, Strategy::Structural, Strategy::Auto}) {
    OperatorPtr compiled =
        jit(vmap(pipeline(), {"prompt"}), {.strategy = strategy});
    (*compiled)(Record{{"prompt", strings({"a"})}, {"style", "s"}});
    std::string ir = plan_stage_text(*compiled, PlanStage::IrOpt);
    EXPECT_THAT(ir, HasSubstr("\ngraph @Pipeline(prompt, style) -> (text) {"))
        << strategy_name(strategy);
    EXPECT_THAT(ir, HasSubstr("over [prompt] body @Pipeline  ; vmap(Pipeline)"))
        << ir;
  }
}

/// gate(\p count) as a declared leaf, which the structural strategy takes
/// as a node without running it.
class DeclaredGate : public Operator, public StructureDependency {
public:
  explicit DeclaredGate(int count)
      : Operator("DeclaredGate", Specification().input("x").output("x")),
        gate_(gate(count)) {}
  Record forward(const Record &inputs) const override {
    return (*gate_)(inputs);
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return every_output_from_every_input(spec());
  }

private:
  OperatorPtr gate_;
};

/// A composite around a DeclaredGate(\p count): {x} -> {x}.
OperatorPtr gated_pipeline(int count) {
  OperatorPtr wait = std::make_shared<DeclaredGate>(count);
  return ops::composite("Gated", Specification().input("x").output("x"),
                        [wait](const Record &in) { return (*wait)(in); });
}

// The map node's elements run at once: each waits until all have started.
TEST(VmapMapNodeTest, ElementsOfAMapNodeRunConcurrently) {
  constexpr int count = 12;
  std::vector<Value> xs;
  for (int i = 0; i < count; ++i)
    xs.push_back(Value(i));
  for (unsigned workers : {1u, 2u, 64u}) {
    OperatorPtr compiled = jit(vmap(gated_pipeline(count), {"x"}),
                               {.strategy = Strategy::Structural,
                                .workers = workers});
    EXPECT_EQ((*compiled)(Record{{"x", Value::list(xs)}}).at("x"),
              Value::list(xs));
    EXPECT_THAT(plan_stage_text(*compiled, PlanStage::Ir),
                HasSubstr("body @Gated"));
  }
}

/// {x} -> {x}, a declared leaf that records the most calls in flight at
/// once; each call sleeps a little so that calls overlap when they may.
class InFlight : public Operator, public StructureDependency {
public:
  InFlight() : Operator("InFlight", Specification().input("x").output("x")) {}
  Record forward(const Record &inputs) const override {
    int now = ++running_;
    for (int seen = most_.load(); now > seen;)
      most_.compare_exchange_weak(seen, now);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    --running_;
    return inputs;
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return every_output_from_every_input(spec());
  }
  int most() const { return most_.load(); }

private:
  mutable std::atomic<int> running_{0};
  mutable std::atomic<int> most_{0};
};

// max_in_flight (or threads) becomes the map node's limit: no more elements
// run at once. (That elements do run at once, the barrier tests prove.)
TEST(VmapMapNodeTest, TheLimitBoundsTheElementsInFlight) {
  auto leaf = std::make_shared<InFlight>();
  OperatorPtr element =
      ops::composite("Bounded", Specification().input("x").output("x"),
                     [leaf](const Record &in) { return (*leaf)(in); });
  OperatorPtr compiled =
      jit(vmap(element, {"x"}, {.max_in_flight = 3}),
          {.strategy = Strategy::Structural});
  std::vector<Value> xs;
  for (int i = 0; i < 24; ++i)
    xs.push_back(Value(i));
  EXPECT_EQ((*compiled)(Record{{"x", Value::list(xs)}}).at("x"),
            Value::list(xs));
  EXPECT_LE(leaf->most(), 3);
  EXPECT_THAT(plan_stage_text(*compiled, PlanStage::Ir),
              HasSubstr("body @Bounded limit 3  ; vmap(Bounded)"));
}

// Two independent map nodes of one plan run at once: one element each,
// waiting for each other.
TEST(VmapMapNodeTest, IndependentMapNodesRunConcurrently) {
  OperatorPtr shared = std::make_shared<DeclaredGate>(2);
  auto gated = [&](const char *name) {
    return ops::composite(name, Specification().input("x").output("x"),
                          [shared](const Record &in) { return (*shared)(in); });
  };
  OperatorPtr left = vmap(gated("Left"), {"x"});
  OperatorPtr right = vmap(gated("Right"), {"x"});
  OperatorPtr both = ops::composite(
      "Both", Specification().input("a").input("b").output("a").output("b"),
      [left, right](const Record &in) {
        Record a = (*left)(Record{{"x", in.at("a")}});
        Record b = (*right)(Record{{"x", in.at("b")}});
        return Record{{"a", a.at("x")}, {"b", b.at("x")}};
      });
  OperatorPtr compiled =
      jit(both, {.strategy = Strategy::Structural, .workers = 2});
  Record out = (*compiled)(Record{{"a", Value::list({Value(1)})},
                                  {"b", Value::list({Value(2)})}});
  EXPECT_EQ(out.at("a"), Value::list({Value(1)}));
  EXPECT_EQ(out.at("b"), Value::list({Value(2)}));
  std::string ir = plan_stage_text(*compiled, PlanStage::Ir);
  EXPECT_THAT(ir, HasSubstr("body @Left"));
  EXPECT_THAT(ir, HasSubstr("body @Right"));
}

/// model_then_format() with a model that fails on "boom".
OperatorPtr styled_pipeline() {
  ops::ModelCallOptions options;
  options.name = "Styler";
  options.fail_on = "boom";
  return model_then_format("StyledPipeline", options, "{style}:{response}");
}

/// What \p op does on \p input: its output as JSON, or the type and
/// message of what it throws, and for an ElementError the index and cause.
std::string outcome(const Operator &op, const Record &input) {
  try {
    return to_json(op(input));
  } catch (const ElementError &error) {
    return std::string("ElementError ") + std::to_string(error.index()) +
           ": " + error.what() + " | cause: " + describe(error.cause());
  } catch (const std::exception &error) {
    return std::string("error: ") + error.what();
  }
}

// A map node does what the eager vmap does, on every kind of input:
// mapped and broadcast fields, empty lists, lengths that differ, items of
// the wrong kind, failed elements (the lowest index, the others still
// run), per-element outcomes.
TEST(VmapMapNodeTest, AMapNodeGivesTheEagerOutcome) {
  std::vector<Record> inputs = {
      Record{{"prompt", strings({"a", "b", "c"})}, {"style", "s"}},
      Record{{"prompt", strings({})}, {"style", "s"}},
      Record{{"prompt", strings({"a", "boom", "c", "boom"})}, {"style", "s"}},
      Record{{"prompt", Value::list({Value("a"), Value(3)})}, {"style", "s"}},
      Record{{"prompt", "not a list"}, {"style", "s"}},
      Record{{"prompt", strings({"a"})}, {"style", 7}},
  };
  for (bool per_element : {false, true}) {
    VmapOptions options{.per_element_outcomes = per_element};
    OperatorPtr eager = vmap(styled_pipeline(), {"prompt"}, options);
    for (Strategy strategy : {Strategy::Structural, Strategy::Auto})
      for (unsigned workers : {1u, 2u, 64u}) {
        OperatorPtr compiled =
            jit(vmap(styled_pipeline(), {"prompt"}, options),
                {.strategy = strategy, .workers = workers});
        for (const Record &input : inputs)
          EXPECT_EQ(outcome(*compiled, input), outcome(*eager, input))
              << to_json(input) << " per_element " << per_element;
        EXPECT_THAT(plan_stage_text(*compiled, PlanStage::Ir),
                    HasSubstr(per_element ? "body @StyledPipeline outcomes errors"
                                          : "body @StyledPipeline  ;"));
      }
  }
}

// An element whose plan a symbolic run cannot give (a leaf that declares
// no structure) is still a map node's body: one call of jit(element),
// which builds the element's plan once, on the first element.
TEST(VmapMapNodeTest, AnElementFoundOnlyByTracingIsCalledFromTheBody) {
  auto glue_runs = std::make_shared<std::atomic<int>>(0);
  OperatorPtr leaf = styled();
  OperatorPtr element = ops::composite(
      "Traced", leaf->spec(), [leaf, glue_runs](const Record &in) {
        ++*glue_runs;
        return (*leaf)(in);
      });
  OperatorPtr eager = vmap(element, {"prompt"});
  OperatorPtr compiled = jit(vmap(element, {"prompt"}));
  Record input{{"prompt", strings({"a", "b", "c", "d"})}, {"style", "s"}};
  EXPECT_EQ((*compiled)(input), (*eager)(input));
  glue_runs->store(0);
  EXPECT_EQ((*compiled)(input), (*eager)(input));
  // The eager call ran the glue four times; the compiled one, none.
  EXPECT_EQ(glue_runs->load(), 4);
  std::string ir = plan_stage_text(*compiled, PlanStage::Ir);
  EXPECT_THAT(ir, HasSubstr("over [prompt] body @Traced  ; vmap(Traced)"));
  EXPECT_THAT(ir, HasSubstr("\" unregistered\n"));
  Record failing{{"prompt", strings({"a", "boom", "boom"})}, {"style", "s"}};
  EXPECT_EQ(outcome(*compiled, failing), outcome(*eager, failing));
}

// Empty lists give empty lists and call nothing: the body's model is
// never called, though the plan is built and run.
TEST(VmapMapNodeTest, EmptyListsMakeNoCalls) {
  ops::ModelCallOptions options;
  options.name = "Counted";
  OperatorPtr model = ops::model_call(options);
  OperatorPtr element = ops::composite(
      "Ask", Specification().input("prompt", Kind::String).output("response"),
      [model](const Record &in) { return (*model)(in); });
  OperatorPtr compiled =
      jit(vmap(element, {"prompt"}), {.strategy = Strategy::Structural});
  Record out = (*compiled)(Record{{"prompt", strings({})}});
  EXPECT_EQ(out.at("response"), Value::list({}));
  EXPECT_EQ(dynamic_cast<const ops::ModelCall &>(*model).calls(), 0u);
  EXPECT_THAT(plan_stage_text(*compiled, PlanStage::Ir), HasSubstr("body @Ask"));
  (*compiled)(Record{{"prompt", strings({"a", "b"})}});
  EXPECT_EQ(dynamic_cast<const ops::ModelCall &>(*model).calls(), 2u);
}

// Two mapped fields of different lengths: the error names each and its
// length, as the eager call's does.
TEST(VmapMapNodeTest, ALengthMismatchNamesTheFieldsAndLengths) {
  OperatorPtr compiled = jit(vmap(styled_pipeline(), {"prompt", "style"}),
                             {.strategy = Strategy::Structural});
  Record input{{"prompt", strings({"a", "b"})}, {"style", strings({"s"})}};
  EXPECT_THAT([&] { (*compiled)(input); },
              ThrowsMessage<InputError>(
                  "operator 'vmap(StyledPipeline)': mapped fields have "
                  "different lengths: prompt has 2, style has 1"));
}

// vmap of vmap: the outer body maps the inner one, each a graph of the
// module, and lists of lists come out as eagerly.
TEST(VmapMapNodeTest, NestedVmapsAreNestedMapNodes) {
  OperatorPtr inner_map = vmap(styled_pipeline(), {"prompt"});
  OperatorPtr row = ops::composite(
      "Row", inner_map->spec(),
      [inner_map](const Record &in) { return (*inner_map)(in); });
  Record input{{"prompt", Value::list({strings({"a", "b"}), strings({}),
                                       strings({"c", "boom"})})},
               {"style", "s"}};
  OperatorPtr eager = vmap(row, {"prompt"});
  OperatorPtr compiled =
      jit(vmap(row, {"prompt"}), {.strategy = Strategy::Structural});
  EXPECT_EQ(outcome(*compiled, input), outcome(*eager, input));
  input.set("prompt", Value::list({strings({"a"}), strings({"b", "c"})}));
  EXPECT_EQ(outcome(*compiled, input), outcome(*eager, input));
  std::string ir = plan_stage_text(*compiled, PlanStage::Ir);
  EXPECT_THAT(ir, HasSubstr("body @StyledPipeline  ; vmap(StyledPipeline)"));
  EXPECT_THAT(ir, HasSubstr("body @Row  ; vmap(Row)"));
}

} // namespace
} // namespace xcs
