//===- bad_input_test.cpp - Every tracing error names what and where ------===//
///
/// \file
/// The tracer's own failures: its limits (docs/tracing.md), a call it does
/// not have, and the operators the structural strategy cannot run on
/// symbols. Each message names the limit, the call or the operator.
///
//===----------------------------------------------------------------------===//

#include "trace_test_util.h"

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace xcs {
namespace {

using ::testing::StrEq;
using ::testing::ThrowsMessage;

/// {n: int} -> {items: list}: a list of n ints, so one call makes n + 1
/// traced values.
class Counting : public Operator {
public:
  Counting()
      : Operator(
            "Counting",
            Specification().input("n", Kind::Int).output("items", Kind::List)) {
  }

  Record forward(const Record &in) const override {
    std::vector<Value> items(static_cast<std::size_t>(in.at("n").as_int()),
                             Value(0));
    return {{"items", Value::list(std::move(items))}};
  }
};

TEST(TraceLimitsTest, TooManyTracedValuesNameTheCallThatOverflows) {
  auto op = std::make_shared<Counting>();
  // The graph input takes one stamp, the list one, each item one.
  EXPECT_THAT(
      [&] {
        xcs::trace(*op, Record{{"n", 1 << 20}});
      },
      ThrowsMessage<Error>(
          StrEq("trace too large: more than 1048575 traced values, at output "
                "'items[1048574]' of 'Counting' (call 1)")));
}

TEST(TraceLimitsTest, TooManyLiveContextsSaySo) {
  std::vector<std::unique_ptr<TracerContext>> alive;
  auto start_all = [&] {
    for (;;)
      alive.push_back(std::make_unique<TracerContext>());
  };
  EXPECT_THAT(start_all,
              ThrowsMessage<Error>(StrEq("cannot start a trace: 4095 tracing "
                                         "contexts are alive at once")));
  alive.pop_back();
  EXPECT_NO_THROW(TracerContext());
}

TEST(TraceLookupTest, AMissingCallIsNamed) {
  OperatorPtr op = ops::affine(1, 1, "x", "x");
  Trace trace = xcs::trace(*op, Record{{"x", 1}});
  for (CallId call : {CallId(0), CallId(2)})
    EXPECT_THAT([&] { trace.context->record(call); },
                ThrowsMessage<Error>(
                    StrEq("trace has no call " + std::to_string(call))));
}

/// A declared leaf whose output `note` may be absent.
class Chatty : public Operator, public StructureDependency {
public:
  Chatty()
      : Operator("Chatty", Specification()
                               .input("x", Kind::Int)
                               .output("y", Kind::Int)
                               .optional_output("note", Kind::String)) {}

  Record forward(const Record &in) const override {
    return {{"y", in.at("x")}};
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("y"), {FieldId("x")}}};
  }
};

/// Neither a Composite nor a declared leaf.
class Opaque : public Operator {
public:
  Opaque() : Operator("Opaque", Specification().input("x").output("x")) {}
  Record forward(const Record &in) const override { return in; }
};

struct SymbolicCase {
  const char *name;
  OperatorPtr (*make)();
  const char *message;
};

class SymbolicRunTest : public ::testing::TestWithParam<SymbolicCase> {};

TEST_P(SymbolicRunTest, NamesTheOperatorAndWhy) {
  OperatorPtr op = GetParam().make();
  TracerContext context(TraceMode::Symbolic);
  EXPECT_THAT(
      [&] {
        context.symbolic_outputs(*op, Record{{"x", Value()}});
      },
      ThrowsMessage<CompileError>(
          StrEq(std::string("structural: ") + GetParam().message)));
  EXPECT_EQ(context.symbolic_failure(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Operators, SymbolicRunTest,
    ::testing::Values(
        SymbolicCase{"optional_output",
                     []() -> OperatorPtr { return std::make_shared<Chatty>(); },
                     "operator 'Chatty' may omit output 'note'; only running "
                     "it tells whether it is present"},
        SymbolicCase{"not_composite_nor_leaf",
                     []() -> OperatorPtr { return std::make_shared<Opaque>(); },
                     "operator 'Opaque' is neither a Composite nor a "
                     "declared leaf (StructureDependency), so it cannot be "
                     "run on symbols"}),
    [](const auto &info) { return info.param.name; });

} // namespace
} // namespace xcs
