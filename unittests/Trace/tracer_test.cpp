//===- tracer_test.cpp - TracerContext, records and provenance ------------===//

#include "trace_test_util.h"

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <barrier>
#include <thread>

namespace xcs {
namespace {

using namespace testing_util;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct CustomFailure {
  int code;
};

OperatorPtr pair_of_increments() {
  OperatorPtr inc = ops::affine(1, 1, "x", "x");
  return composite("Pair",
                   Specification().input("x", Kind::Int).output("x", Kind::Int),
                   [inc](const Record &in) { return (*inc)((*inc)(in)); });
}

TEST(Tracer, RecordsEveryCallWithParentsInputsAndOutputs) {
  OperatorPtr op = pair_of_increments();
  Trace trace = xcs::trace(*op, Record{{"x", 1}});

  const auto &records = trace.context->records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(trace.root, 1u);
  EXPECT_EQ(records[0].operator_name, "Pair");
  EXPECT_EQ(records[0].instance_id, op->id());
  EXPECT_EQ(records[0].op.lock(), op);
  EXPECT_THAT(records[0].children, ElementsAre(2u, 3u));
  for (CallId child : {2u, 3u}) {
    const TraceRecord &r = trace.context->record(child);
    EXPECT_EQ(r.call_id, child);
    EXPECT_EQ(r.parent_call_id, 1u);
    EXPECT_EQ(r.operator_name, "Affine");
    EXPECT_LE(r.start, r.end);
    EXPECT_FALSE(r.exception);
  }
  EXPECT_EQ(records[1].inputs, (Record{{"x", 1}}));
  EXPECT_EQ(records[1].outputs, (Record{{"x", 2}}));
  EXPECT_EQ(records[2].outputs, (Record{{"x", 3}}));
  EXPECT_EQ(trace.output, (Record{{"x", 3}}));
  EXPECT_TRUE(records[0].flattenable());
  EXPECT_GE(records[1].start, records[0].start);
  EXPECT_LE(records[2].end, records[0].end);
}

TEST(Tracer, StampsTellWhereValuesCameFrom) {
  TracerContext context;
  Record input = context.stamp_input(Record{{"x", 4}});
  auto from_input = context.provenance(input.at("x"));
  ASSERT_TRUE(from_input);
  EXPECT_EQ(from_input->call, 0u);
  EXPECT_EQ(from_input->path.to_string(), "x");

  OperatorPtr inc = ops::affine(1, 1, "x", "y");
  Record out;
  {
    TracerContext::Scope scope(context);
    out = (*inc)(input);
  }
  auto from_call = context.provenance(out.at("y"));
  ASSERT_TRUE(from_call);
  EXPECT_EQ(from_call->call, 1u);
  EXPECT_EQ(from_call->path.to_string(), "y");
  EXPECT_EQ(out.at("y"), Value(5));
}

TEST(Tracer, NestedValuesCarryTheirOwnPath) {
  TracerContext context;
  Record input = context.stamp_input(
      Record{{"doc", Value::record(Record{{"items", Value::list({1, 2})}})}});
  const Value &second = Path::parse("doc.items[1]").at(input);
  auto provenance = context.provenance(second);
  ASSERT_TRUE(provenance);
  EXPECT_EQ(provenance->path.to_string(), "doc.items[1]");
}

TEST(Tracer, UnstampedAndForeignValuesHaveNoProvenance) {
  TracerContext a, b;
  Record from_b = b.stamp_input(Record{{"x", 1}});
  EXPECT_FALSE(a.provenance(Value(1)));
  EXPECT_FALSE(a.provenance(from_b.at("x")));
  EXPECT_FALSE(a.provenance(constant(1)));
  EXPECT_TRUE(TracerContext::is_constant(constant("c")));
  EXPECT_FALSE(TracerContext::is_constant(Value("c")));
}

TEST(Tracer, TraceReturnsTheRealResultWithoutStamps) {
  ops::Example example = ops::example("ensemble-judge");
  Trace trace = xcs::trace(*example.op, example.input);
  EXPECT_EQ(trace.output, (*example.op)(example.input));
  for (const auto &[field, value] : trace.output)
    EXPECT_EQ(value.stamp(), 0u);
}

TEST(Tracer, ThrowingCallIsRecordedAndRethrownUnchanged) {
  OperatorPtr thrower = ops::function(
      "Thrower", Specification().input("x").output("x"),
      [](const Record &) -> Record { throw CustomFailure{42}; });
  OperatorPtr op = composite("Outer", Specification().input("x").output("x"),
                             [thrower](const Record &in) { return (*thrower)(in); });
  TracerContext context;
  try {
    TracerContext::Scope scope(context);
    (*op)(context.stamp_input(Record{{"x", 1}}));
    FAIL() << "expected CustomFailure";
  } catch (const CustomFailure &failure) {
    EXPECT_EQ(failure.code, 42);
  }
  ASSERT_EQ(context.records().size(), 2u);
  for (const TraceRecord &r : context.records()) {
    ASSERT_TRUE(r.exception);
    EXPECT_THROW(std::rethrow_exception(r.exception), CustomFailure);
  }
}

TEST(Tracer, InvalidChildInputIsRecordedAsAFailedCall) {
  OperatorPtr typed = ops::affine(1, 1);
  TracerContext context;
  {
    TracerContext::Scope scope(context);
    EXPECT_THROW((*typed)(Record{{"x", "text"}}), InputError);
  }
  ASSERT_EQ(context.records().size(), 1u);
  EXPECT_TRUE(context.records()[0].exception);
}

TEST(Tracer, NestedContextsRestoreTheOuterOne) {
  OperatorPtr inc = ops::affine(1, 1);
  TracerContext outer, inner;
  EXPECT_EQ(TracerContext::current(), nullptr);
  {
    TracerContext::Scope outer_scope(outer);
    (*inc)(Record{{"x", 1}});
    {
      TracerContext::Scope inner_scope(inner);
      EXPECT_EQ(TracerContext::current(), &inner);
      (*inc)(Record{{"x", 2}});
      (*inc)(Record{{"x", 3}});
    }
    EXPECT_EQ(TracerContext::current(), &outer);
    (*inc)(Record{{"x", 4}});
  }
  EXPECT_EQ(TracerContext::current(), nullptr);
  ASSERT_EQ(outer.records().size(), 2u);
  EXPECT_EQ(outer.records()[1].inputs, (Record{{"x", 4}}));
  ASSERT_EQ(inner.records().size(), 2u);
  EXPECT_EQ(inner.records()[0].parent_call_id, 0u);
  EXPECT_THAT(outer.top_level_calls(), ElementsAre(1u, 2u));
}

TEST(Tracer, TracingOnTwoThreadsAtOnceDoesNotInterfere) {
  OperatorPtr op = pair_of_increments();
  // Both traces are in flight at the same time: each thread waits for the
  // other between its two child calls.
  std::barrier meet(2);
  OperatorPtr inc = ops::affine(1, 1, "x", "x");
  OperatorPtr slow_pair = composite(
      "SlowPair", Specification().input("x", Kind::Int).output("x", Kind::Int),
      [&](const Record &in) {
        Record once = (*inc)(in);
        meet.arrive_and_wait();
        return (*inc)(once);
      });
  auto run = [&](std::int64_t x, Trace &out) {
    out = xcs::trace(*slow_pair, Record{{"x", x}});
  };
  Trace first, second;
  std::thread a(run, 10, std::ref(first));
  std::thread b(run, 20, std::ref(second));
  a.join();
  b.join();
  EXPECT_EQ(first.output, (Record{{"x", 12}}));
  EXPECT_EQ(second.output, (Record{{"x", 22}}));
  for (Trace *t : {&first, &second}) {
    ASSERT_EQ(t->context->records().size(), 3u);
    EXPECT_TRUE(t->context->record(1).flattenable())
        << t->context->record(1).opaque_reason;
  }
  EXPECT_EQ(TracerContext::current(), nullptr);
}

TEST(Tracer, UntracedCallsRecordNothing) {
  OperatorPtr op = pair_of_increments();
  TracerContext context;
  EXPECT_EQ((*op)(Record{{"x", 1}}), (Record{{"x", 3}}));
  EXPECT_TRUE(context.records().empty());
}

} // namespace
} // namespace xcs
