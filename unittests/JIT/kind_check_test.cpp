//===- kind_check_test.cpp - Plans check what flattening takes away -------===//
//
// A flattened composite's own validation runs in no node of the plan. Where
// the trace cannot prove that a composite's declared kinds hold on every run
// (a value taken from a child output of kind any, say), the plan checks
// them in a check node placed where the eager call validates: a plan must
// fail exactly when, and as, the eager call fails. The composite being
// compiled is the exception: the operator running its plan validates it.
//
//===----------------------------------------------------------------------===//

#include "xcs/error.h"
#include "xcs/graph_builder.h"
#include "xcs/jit.h"
#include "xcs/ops.h"

#include <gtest/gtest.h>

#include <functional>
#include <stdexcept>
#include <string>

namespace xcs {
namespace {

/// {x: int} -> {v: any}: x when x >= 0, else the text "negative".
OperatorPtr shifty() {
  return ops::function(
      "Shifty", Specification().input("x", Kind::Int).output("v"),
      [](const Record &in) {
        std::int64_t x = in.at("x").as_int();
        return x >= 0 ? Record{{"v", x}} : Record{{"v", "negative"}};
      });
}

/// {x: int} -> {y: int}, routing Shifty's v to y, which it declares int.
OperatorPtr strict_output() {
  OperatorPtr leaf = shifty();
  return ops::composite(
      "StrictOutput",
      Specification().input("x", Kind::Int).output("y", Kind::Int),
      [leaf](const Record &in) {
        return Record{{"y", (*leaf)(Record{{"x", in.at("x")}}).at("v")}};
      });
}

/// StrictOutput inside a composite that declares no kinds of its own.
OperatorPtr nested_strict_output() {
  OperatorPtr strict = strict_output();
  return ops::composite("AroundStrictOutput",
                        Specification().input("x", Kind::Int).output("y"),
                        [strict](const Record &in) { return (*strict)(in); });
}

/// {x: int} -> {y: int}: Shifty's v into a composite whose input is
/// declared int.
OperatorPtr strict_input() {
  OperatorPtr leaf = shifty();
  OperatorPtr inner = ops::composite(
      "StrictInput", Specification().input("x", Kind::Int).output("y"),
      [step = ops::affine(2, 1)](const Record &in) {
        return Record{{"y", (*step)(Record{{"x", in.at("x")}}).at("y")}};
      });
  return ops::composite(
      "Outer", Specification().input("x", Kind::Int).output("y"),
      [leaf, inner](const Record &in) {
        Value v = (*leaf)(Record{{"x", in.at("x")}}).at("v");
        return Record{{"y", (*inner)(Record{{"x", v}}).at("y")}};
      });
}

/// StrictOutput, then a leaf that throws for a negative x: eager fails at
/// StrictOutput's validation first, though the two could run at once.
OperatorPtr check_then_throw() {
  OperatorPtr strict = strict_output();
  OperatorPtr boom = ops::function(
      "Boom", Specification().input("x", Kind::Int).output("z", Kind::Int),
      [](const Record &in) {
        if (in.at("x").as_int() < 0)
          throw std::runtime_error("Boom: negative");
        return Record{{"z", in.at("x")}};
      });
  return ops::composite(
      "CheckThenThrow",
      Specification().input("x", Kind::Int).output("y").output("z"),
      [strict, boom](const Record &in) {
        Record x{{"x", in.at("x")}};
        Value y = (*strict)(x).at("y");
        return Record{{"y", y}, {"z", (*boom)(x).at("z")}};
      });
}

/// The result, or the type and message of what was thrown.
std::string outcome(const std::function<Record()> &run) {
  try {
    return run().to_string();
  } catch (const std::exception &error) {
    return std::string("error (") + typeid(error).name() + "): " + error.what();
  }
  return "error: not a std::exception";
}

/// The number of check nodes in the graph of \p op traced on {x: 1}, after
/// checking that nothing in it is opaque.
int check_nodes(const OperatorPtr &op) {
  XCSGraph graph = AutoGraphBuilder().build(trace(*op, Record{{"x", 1}}), "g");
  int checks = 0;
  for (const XCSNode &node : graph.nodes()) {
    EXPECT_EQ(node.opaque_reason, "") << node.id;
    checks += node.kind == NodeKind::Check;
  }
  return checks;
}

/// Runs jit(op) first on {x: 1} (which compiles it) and then on every x,
/// with 1 and 4 workers, against the eager call.
void expect_eager_outcomes(const OperatorPtr &op) {
  for (unsigned workers : {1u, 4u}) {
    OperatorPtr compiled = jit(op, {.workers = workers});
    (*compiled)(Record{{"x", 1}});
    for (int x : {3, -1, 0, -7}) {
      Record input{{"x", x}};
      EXPECT_EQ(outcome([&] { return (*compiled)(input); }),
                outcome([&] { return (*op)(input); }))
          << op->name() << " on x = " << x << " with " << workers << " workers";
    }
  }
}

TEST(KindCheck, AnOutputTakenFromAnyIsCheckedWhereTheCompositeReturns) {
  OperatorPtr op = nested_strict_output();
  EXPECT_EQ(check_nodes(op), 1);
  EXPECT_THROW((*op)(Record{{"x", -1}}), InputError);
  expect_eager_outcomes(op);
}

TEST(KindCheck, TheRootIsCheckedByTheOperatorThatRunsItsPlan) {
  // jit(op) has op's specification and validates the plan's result as op's
  // own call does, so op's declared kinds need no check node.
  OperatorPtr op = strict_output();
  EXPECT_EQ(check_nodes(op), 0);
  EXPECT_THROW((*op)(Record{{"x", -1}}), InputError);
  expect_eager_outcomes(op);
}

TEST(KindCheck, AnInputTakenFromAnyIsCheckedWhereTheCompositeIsCalled) {
  OperatorPtr op = strict_input();
  EXPECT_EQ(check_nodes(op), 1);
  expect_eager_outcomes(op);
}

TEST(KindCheck, AFailedCheckIsReportedBeforeALaterFailure) {
  OperatorPtr op = check_then_throw();
  EXPECT_EQ(check_nodes(op), 1);
  EXPECT_NE(outcome([&] {
              return (*op)(Record{{"x", -1}});
            }).find("operator 'StrictOutput': output field 'y'"),
            std::string::npos);
  expect_eager_outcomes(op);
}

TEST(KindCheck, ProvenKindsNeedNoCheck) {
  // A composite that declares no kind for what its child returns has
  // nothing to check.
  OperatorPtr step = ops::affine(3, 4);
  OperatorPtr loose = ops::composite(
      "Loose", Specification().input("x", Kind::Int).output("y"),
      [step](const Record &in) {
        return Record{{"y", (*step)(Record{{"x", in.at("x")}}).at("y")}};
      });
  EXPECT_EQ(check_nodes(loose), 0);
}

} // namespace
} // namespace xcs
