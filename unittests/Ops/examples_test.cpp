//===- examples_test.cpp - Built-in example pipelines ---------------------===//

#include "xcs/error.h"
#include "xcs/ops.h"
#include "xcs/trace.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace xcs::ops {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

Record run(std::string_view name, Record input) {
  return (*example(name).op)(input);
}

TEST(Examples, NamesAreListed) {
  EXPECT_THAT(example_names(),
              ElementsAre("ensemble-judge", "diamond", "chain", "nested",
                          "route", "self-refine", "ask-again",
                          "ask-again-glue", "map"));
}

TEST(Examples, EveryExampleBuildsAndRunsOnItsDefaultInput) {
  for (const std::string &name : example_names()) {
    Example ex = example(name);
    EXPECT_EQ(ex.name, name);
    EXPECT_FALSE(ex.description.empty()) << name;
    ASSERT_NE(ex.op, nullptr) << name;
    Record out = (*ex.op)(ex.input);
    EXPECT_EQ(out.size(), ex.op->spec().outputs().size()) << name;
  }
}

TEST(Examples, EachCallBuildsAFreshInstance) {
  for (const std::string &name : example_names())
    EXPECT_NE(example(name).op->id(), example(name).op->id()) << name;
}

// Every example but ask-again-glue, which shows what glue control flow
// costs: it stays one opaque node (docs/jit.md).
TEST(Examples, GlueIsPureRouting) {
  for (const std::string &name : example_names()) {
    if (name == "ask-again-glue")
      continue;
    Example ex = example(name);
    Trace traced = trace(*ex.op, ex.input);
    EXPECT_EQ(traced.output, (*ex.op)(ex.input)) << name;
    EXPECT_TRUE(traced.context->record(traced.root).is_composite()) << name;
    for (const TraceRecord &record : traced.context->records()) {
      bool routes = !record.is_composite() || record.flattenable() ||
                    record.structured;
      EXPECT_TRUE(routes) << name << ": " << record.operator_name
                          << " is opaque: " << record.opaque_reason;
    }
  }
}

TEST(Examples, AskAgainGlueIsOneOpaqueNode) {
  Example ex = example("ask-again-glue");
  Trace traced = trace(*ex.op, ex.input);
  const TraceRecord &root = traced.context->record(traced.root);
  EXPECT_FALSE(root.flattenable());
  EXPECT_THAT(root.opaque_reason, ::testing::HasSubstr("reads the content"));
}

TEST(Examples, StructuredExamplesAgreeWithTheirGlueTwin) {
  for (const char *query : {"a", "b", "c", "d", "Why?"}) {
    Record input{{"query", query}};
    EXPECT_EQ((*example("ask-again").op)(input),
              (*example("ask-again-glue").op)(input))
        << query;
  }
}

TEST(Examples, SelfRefineStopsWhenAcceptedOrAfterThreeRounds) {
  std::set<std::int64_t> rounds;
  for (const char *query : {"a", "b", "c", "d", "e", "f", "g"}) {
    Record out = (*example("self-refine").op)(Record{{"query", query}});
    std::int64_t n = out.at("rounds").as_int();
    rounds.insert(n);
    EXPECT_TRUE(out.at("accepted").as_bool() || n == 3) << query;
  }
  // Accepted after one, two and three rounds, or never.
  EXPECT_EQ(rounds, (std::set<std::int64_t>{1, 2, 3}));
}

TEST(Examples, EnsembleJudge) {
  Example ex = example("ensemble-judge");
  EXPECT_EQ(ex.input, (Record{{"query", "What is the capital of France?"}}));
  // The three members (seeds 1, 2, 3, vocabulary 2) cannot all differ: two
  // of them answer answer-0.
  EXPECT_EQ(
      (*ex.op)(ex.input),
      (Record{{"answer", "What is the capital of France? => answer-0 (2 of 3 "
                         "agree)"}}));
  EXPECT_THAT(
      [&] {
        (*ex.op)(Record{{"query", 1}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'EnsembleJudge'"), HasSubstr("'query'"))));
}

TEST(Examples, Diamond) {
  Example ex = example("diamond");
  EXPECT_EQ(ex.input, (Record{{"x", 5}}));
  // (2*5 + 5) + (3*5 - 2) = 15 + 13.
  EXPECT_EQ((*ex.op)(ex.input), (Record{{"sum", 28}}));
  // (2*-1 + 5) + (3*-1 - 2) = 3 - 5.
  EXPECT_EQ(run("diamond", Record{{"x", -1}}), (Record{{"sum", -2}}));
}

TEST(Examples, Chain) {
  Example ex = example("chain");
  EXPECT_EQ(ex.input, (Record{{"x", 5}}));
  // 5 -> 2*5+1 = 11 -> 3*11-4 = 29 -> 29+10 = 39 -> -39.
  EXPECT_EQ((*ex.op)(ex.input), (Record{{"y", -39}}));
  // 0 -> 1 -> -1 -> 9 -> -9.
  EXPECT_EQ(run("chain", Record{{"x", 0}}), (Record{{"y", -9}}));
}

TEST(Examples, Nested) {
  Example ex = example("nested");
  EXPECT_EQ(ex.input, (Record{{"x", 5}}));
  // inner: (2*5+1) + (5+3) = 19; middle: 19*5 = 95; outer: 95-1 = 94.
  EXPECT_EQ((*ex.op)(ex.input), (Record{{"result", 94}}));
  // inner: -3 + 1 = -2; middle: -2*-2 = 4; outer: 3.
  EXPECT_EQ(run("nested", Record{{"x", -2}}), (Record{{"result", 3}}));
}

TEST(Examples, RejectWrongInputs) {
  EXPECT_THAT(
      [] {
        run("diamond", Record{{"x", 1.5}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Diamond'"), HasSubstr("'x'"),
                                      HasSubstr("expected int, got double"))));
  EXPECT_THAT([] { run("nested", Record{}); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'NestedOuter'"), HasSubstr("missing"))));
  EXPECT_THAT(
      [] {
        run("chain", Record{{"x", "5"}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Affine'"), HasSubstr("'x'"))));
}

TEST(Examples, UnknownNameListsTheKnownOnes) {
  EXPECT_THAT([] { example("triangle"); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'triangle'"),
                        HasSubstr("ensemble-judge, diamond, chain, nested"))));
}

} // namespace
} // namespace xcs::ops
