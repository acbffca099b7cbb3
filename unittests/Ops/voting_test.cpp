//===- voting_test.cpp - most_common and judge ----------------------------===//

#include "test_util.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xcs::ops {
namespace {

using test::dependencies_of;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

Value vote(const OperatorPtr &op, std::vector<Value> responses) {
  return (*op)(Record{{"responses", Value::list(std::move(responses))}})
      .at("answer");
}

TEST(MostCommon, PicksTheMajority) {
  OperatorPtr op = most_common();
  EXPECT_EQ(op->name(), "MostCommon");
  EXPECT_EQ(op->spec().to_string(), "(responses: list) -> (answer: any)");
  EXPECT_EQ(vote(op, {"a", "b", "b", "c", "b", "a"}), Value("b"));
  EXPECT_EQ(vote(op, {"only"}), Value("only"));
}

TEST(MostCommon, TieGoesToTheFirstSeen) {
  OperatorPtr op = most_common();
  EXPECT_EQ(vote(op, {"x", "y", "y", "x"}), Value("x"));
  EXPECT_EQ(vote(op, {"y", "x", "x", "y"}), Value("y"));
  EXPECT_EQ(vote(op, {3, 2, 1}), Value(3));
}

TEST(MostCommon, ComparesValuesByKindAndContent) {
  OperatorPtr op = most_common();
  EXPECT_EQ(vote(op, {1.0, 1, 1}), Value(1));
  Value list = Value::list({1, 2});
  EXPECT_EQ(vote(op, {"a", list, Value::list({1, 2})}), list);
}

TEST(MostCommon, UsesTheGivenFieldNames) {
  OperatorPtr op = most_common("votes", "winner");
  EXPECT_EQ((*op)(Record{{"votes", Value::list({true, false, false})}}),
            (Record{{"winner", false}}));
  auto deps = dependencies_of(op);
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].output, FieldId("winner"));
  EXPECT_EQ(deps[0].inputs, std::vector<FieldId>{FieldId("votes")});
}

TEST(MostCommon, RejectsEmptyAndWrongInputs) {
  OperatorPtr op = most_common();
  EXPECT_THAT([&] { vote(op, {}); },
              ThrowsMessage<InputError>(AllOf(HasSubstr("'MostCommon'"),
                                              HasSubstr("'responses'"),
                                              HasSubstr("empty list"))));
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"responses", "abc"}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'MostCommon'"),
                                      HasSubstr("'responses'"),
                                      HasSubstr("expected list, got string"))));
  EXPECT_THAT([&] { (*op)(Record{}); },
              ThrowsMessage<InputError>(HasSubstr("missing")));
  EXPECT_THAT([] { most_common(""); },
              ThrowsMessage<InputError>(HasSubstr("empty input field name")));
}

Record judge_input(std::string query, std::vector<Value> responses) {
  return Record{{"query", std::move(query)},
                {"responses", Value::list(std::move(responses))}};
}

TEST(Judge, NamesQueryMajorityAndSupport) {
  OperatorPtr op = judge();
  EXPECT_EQ(op->name(), "Judge");
  EXPECT_EQ(op->spec().to_string(),
            "(query: string, responses: list) -> (answer: string)");
  EXPECT_EQ((*op)(judge_input("2+2?", {"4", "5", "4"})),
            (Record{{"answer", "2+2? => 4 (2 of 3 agree)"}}));
}

TEST(Judge, AgreesWithMostCommonOnTies) {
  OperatorPtr op = judge();
  EXPECT_EQ((*op)(judge_input("q", {"b", "a"})).at("answer"),
            Value("q => b (1 of 2 agree)"));
  EXPECT_EQ(vote(most_common(), {"b", "a"}), Value("b"));
}

TEST(Judge, PrintsNonStringResponses) {
  OperatorPtr op = judge("Referee");
  EXPECT_EQ(op->name(), "Referee");
  EXPECT_EQ((*op)(judge_input("n", {7, 7})).at("answer"),
            Value("n => 7 (2 of 2 agree)"));
  auto deps = dependencies_of(op);
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].inputs.size(), 2u);
}

TEST(Judge, RejectsEmptyAndWrongInputs) {
  OperatorPtr op = judge("Referee");
  EXPECT_THAT([&] { (*op)(judge_input("q", {})); },
              ThrowsMessage<InputError>(AllOf(HasSubstr("'Referee'"),
                                              HasSubstr("'responses'"),
                                              HasSubstr("empty list"))));
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"query", 1}, {"responses", Value::list({1})}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Referee'"),
                                      HasSubstr("'query'"),
                                      HasSubstr("expected string, got int"))));
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"responses", Value::list({1})}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'query'"), HasSubstr("missing"))));
  EXPECT_THAT([] { judge(""); },
              ThrowsMessage<InputError>(HasSubstr("name is empty")));
}

} // namespace
} // namespace xcs::ops
