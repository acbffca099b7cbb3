//===- control_flow_test.cpp - cond, switch_on, fallback, repeat_until ----===//

#include "xcs/control_flow.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace xcs::ops {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

/// {x: int} -> {y: int}: y = x * mul + add.
OperatorPtr step(std::int64_t mul, std::int64_t add) {
  return function("Step",
                  Specification().input("x", Kind::Int).output("y", Kind::Int),
                  [mul, add](const Record &in) {
                    return Record{{"y", in.at("x").as_int() * mul + add}};
                  });
}

/// {x: int} -> {y: int} that throws std::runtime_error("boom <x>").
OperatorPtr failing() {
  return function("Failing",
                  Specification().input("x", Kind::Int).output("y", Kind::Int),
                  [](const Record &in) -> Record {
                    throw std::runtime_error(
                        "boom " + std::to_string(in.at("x").as_int()));
                  });
}

TEST(Cond, RunsOnlyTheTakenBranch) {
  std::atomic<int> else_calls{0};
  OperatorPtr counted = function(
      "Else", Specification().input("x", Kind::Int).output("y", Kind::Int),
      [&](const Record &in) {
        ++else_calls;
        return Record{{"y", in.at("x").as_int() - 1}};
      });
  OperatorPtr op = cond("ok", step(2, 0), counted);
  EXPECT_EQ((*op)(Record{{"ok", true}, {"x", 5}}), (Record{{"y", 10}}));
  EXPECT_EQ(else_calls.load(), 0);
  EXPECT_EQ((*op)(Record{{"ok", false}, {"x", 5}}), (Record{{"y", 4}}));
  EXPECT_EQ(else_calls.load(), 1);
}

TEST(Cond, SpecificationDeclaresThePredicateAndTheBranches) {
  OperatorPtr op = cond("ok", step(2, 0), step(3, 0));
  EXPECT_EQ(op->spec().to_string(), "(ok: bool, x: int) -> (y: int)");
  const auto *structured = dynamic_cast<const StructuredOperator *>(op.get());
  ASSERT_NE(structured, nullptr);
  EXPECT_EQ(structured->control_kind(), ControlKind::Cond);
  EXPECT_EQ(structured->branches().size(), 2u);
  EXPECT_EQ(structured->selector(), FieldId("ok"));
}

TEST(Cond, NonBoolPredicateNamesOperatorAndField) {
  OperatorPtr op = cond("ok", step(2, 0), step(3, 0));
  EXPECT_THAT([&] { (*op)(Record{{"ok", "yes"}, {"x", 1}}); },
              ThrowsMessage<InputError>(
                  "operator 'Cond': input field 'ok': expected bool, got "
                  "string"));
}

TEST(Cond, BranchesMustAgreeOnOutputs) {
  EXPECT_THAT([] { cond("ok", step(2, 0), affine(1, 0, "x", "z")); },
              ThrowsMessage<InputError>(
                  HasSubstr("branches must produce the same output fields")));
  EXPECT_THAT([] { cond("ok", step(2, 0), format("{x}", "y")); },
              ThrowsMessage<InputError>(
                  HasSubstr("branches must produce the same output fields")));
  EXPECT_THAT([] { cond("ok", step(2, 0), nullptr); },
              ThrowsMessage<InputError>(HasSubstr("branch 2 is null")));
}

TEST(Cond, BranchFailurePropagatesUnchanged) {
  OperatorPtr op = cond("ok", failing(), step(1, 0));
  EXPECT_THAT([&] { (*op)(Record{{"ok", true}, {"x", 7}}); },
              ThrowsMessage<std::runtime_error>("boom 7"));
}

TEST(Switch, PicksTheFirstEqualCaseElseTheDefault) {
  OperatorPtr op = switch_on(
      "kind", {{"double", step(2, 0)}, {"triple", step(3, 0)}}, step(0, -1));
  EXPECT_EQ((*op)(Record{{"kind", "double"}, {"x", 5}}), (Record{{"y", 10}}));
  EXPECT_EQ((*op)(Record{{"kind", "triple"}, {"x", 5}}), (Record{{"y", 15}}));
  EXPECT_EQ((*op)(Record{{"kind", "other"}, {"x", 5}}), (Record{{"y", -1}}));
  EXPECT_THAT([&] { (*op)(Record{{"kind", 3}, {"x", 5}}); },
              ThrowsMessage<InputError>(
                  "operator 'Switch': input field 'kind': expected string, "
                  "got int"));
}

TEST(Switch, RejectsRepeatedCases) {
  EXPECT_THAT([] { switch_on("k", {{1, step(1, 0)}, {1, step(2, 0)}}, step(3, 0)); },
              ThrowsMessage<InputError>(HasSubstr("case 1 is listed twice")));
  EXPECT_THAT([] { switch_on("k", {}, step(3, 0)); },
              ThrowsMessage<InputError>(HasSubstr("at least one case")));
}

TEST(Fallback, PassesTheErrorToOnError) {
  OperatorPtr on_error = function(
      "Recover",
      Specification()
          .input("x", Kind::Int)
          .input("error_type", Kind::String)
          .input("error_message", Kind::String)
          .output("y", Kind::Int),
      [](const Record &in) {
        EXPECT_EQ(in.at("error_type").as_string(), "std::runtime_error");
        EXPECT_EQ(in.at("error_message").as_string(), "boom 4");
        return Record{{"y", -in.at("x").as_int()}};
      });
  OperatorPtr op = fallback(failing(), on_error);
  EXPECT_EQ(op->spec().to_string(), "(x: int) -> (y: int)");
  EXPECT_EQ((*op)(Record{{"x", 4}}), (Record{{"y", -4}}));
}

TEST(Fallback, SucceedingPrimarySkipsOnError) {
  OperatorPtr op = fallback(step(2, 0), failing());
  EXPECT_EQ((*op)(Record{{"x", 4}}), (Record{{"y", 8}}));
}

TEST(Fallback, OnErrorWithoutErrorFieldsGetsTheInput) {
  OperatorPtr op = fallback(failing(), step(1, 1));
  EXPECT_EQ((*op)(Record{{"x", 4}}), (Record{{"y", 5}}));
}

TEST(Fallback, FailingOnErrorPropagates) {
  OperatorPtr op = fallback(failing(), failing());
  EXPECT_THAT([&] { (*op)(Record{{"x", 2}}); },
              ThrowsMessage<std::runtime_error>("boom 2"));
}

TEST(Fallback, ErrorTypeNamesXcsErrors) {
  std::exception_ptr error =
      std::make_exception_ptr(InputError("bad field"));
  EXPECT_EQ(control_flow::error_type_name(error), "xcs::InputError");
  EXPECT_EQ(control_flow::error_message(error), "bad field");
  EXPECT_EQ(control_flow::error_type_name(std::make_exception_ptr(42)), "int");
  EXPECT_EQ(control_flow::error_message(std::make_exception_ptr(42)), "");
}

/// {n: int} -> {n: int, done: bool}: n + 1, done once n reaches \p stop.
OperatorPtr increment(std::int64_t stop) {
  return function("Increment",
                  Specification()
                      .input("n", Kind::Int)
                      .output("n", Kind::Int)
                      .output("done", Kind::Bool),
                  [stop](const Record &in) {
                    std::int64_t n = in.at("n").as_int() + 1;
                    return Record{{"n", n}, {"done", n >= stop}};
                  });
}

TEST(RepeatUntil, StopsWhenDone) {
  OperatorPtr op = repeat_until(increment(3), "done", 10);
  EXPECT_EQ(op->spec().to_string(),
            "(n: int) -> (n: int, done: bool, iterations: int, bound_hit: "
            "bool)");
  EXPECT_EQ((*op)(Record{{"n", 0}}),
            (Record{{"n", 3}, {"done", true}, {"iterations", 3},
                    {"bound_hit", false}}));
}

TEST(RepeatUntil, StopsAtTheBound) {
  OperatorPtr op = repeat_until(increment(100), "done", 4);
  EXPECT_EQ((*op)(Record{{"n", 0}}),
            (Record{{"n", 4}, {"done", false}, {"iterations", 4},
                    {"bound_hit", true}}));
  // Done on the last allowed run: done, not the bound.
  OperatorPtr exact = repeat_until(increment(4), "done", 4);
  EXPECT_EQ((*exact)(Record{{"n", 0}}).at("bound_hit"), Value(false));
}

TEST(RepeatUntil, NonBoolDoneNamesOperatorAndField) {
  OperatorPtr body = function(
      "Body", Specification().input("n").output("n").output("done"),
      [](const Record &in) {
        return Record{{"n", in.at("n")}, {"done", "no"}};
      });
  OperatorPtr op = repeat_until(body, "done", 3);
  EXPECT_THAT([&] { (*op)(Record{{"n", 0}}); },
              ThrowsMessage<InputError>("operator 'RepeatUntil': body output "
                                        "field 'done': expected bool, got "
                                        "string"));
}

TEST(RepeatUntil, RejectsBodiesThatCannotLoop) {
  EXPECT_THAT([] { repeat_until(increment(1), "done", 0); },
              ThrowsMessage<InputError>(HasSubstr("at least 1")));
  EXPECT_THAT([] { repeat_until(increment(1), "missing", 2); },
              ThrowsMessage<InputError>(HasSubstr("must always output")));
  OperatorPtr retyped = function(
      "Retype",
      Specification().input("n", Kind::Int).output("n", Kind::String).output(
          "done", Kind::Bool),
      [](const Record &) { return Record{}; });
  EXPECT_THAT([&] { repeat_until(retyped, "done", 2); },
              ThrowsMessage<InputError>(HasSubstr("goes back to its input")));
}

} // namespace
} // namespace xcs::ops
