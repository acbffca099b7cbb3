//===- composition_test.cpp - sequence, ensemble, function ----------------===//

#include "xcs/error.h"
#include "xcs/ops.h"
#include "xcs/trace.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xcs::ops {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

/// A member that answers "<tag>:<prompt>".
OperatorPtr tagger(const std::string &tag) {
  return function(
      tag,
      Specification()
          .input("prompt", Kind::String)
          .output("response", Kind::String),
      [tag](const Record &in) {
        return Record{
            {"response", tag + ":" + std::string(in.at("prompt").as_string())}};
      });
}

TEST(Sequence, FeedsEachStepTheOneBefore) {
  OperatorPtr op =
      sequence("Pipe", {affine(2, 0, "x", "y"), affine(1, 3, "y", "z"),
                        rename({{"z", "out"}})});
  EXPECT_EQ(op->name(), "Pipe");
  EXPECT_EQ((*op)(Record{{"x", 4}}), (Record{{"out", 11}}));
}

TEST(Sequence, TakesFirstInputsAndLastOutputs) {
  OperatorPtr op =
      sequence("S", {select({"a"}), rename({{"a", "b"}}), format("{b}")});
  EXPECT_TRUE(op->spec().has_open_inputs());
  EXPECT_EQ(op->spec().to_string(), "(a: any, ...) -> (text: string)");
  EXPECT_EQ((*op)(Record{{"a", 1}, {"junk", 2}}), (Record{{"text", "1"}}));
}

TEST(Sequence, KeepsOptionalFields) {
  OperatorPtr step = function(
      "Opt",
      Specification().optional_input("a", Kind::Int).optional_output("b"),
      [](const Record &) { return Record{}; });
  OperatorPtr op = sequence("S", {step});
  EXPECT_EQ(op->spec().to_string(), "(a?: int) -> (b?: any)");
  EXPECT_EQ((*op)(Record{}), Record{});
}

TEST(Sequence, ValidatesEveryStepCall) {
  OperatorPtr liar =
      function("Liar", Specification().input("y").output("z", Kind::Int),
               [](const Record &) {
                 return Record{{"z", "not an int"}};
               });
  OperatorPtr op = sequence("S", {affine(1, 0), liar});
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"x", 1}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Liar'"),
                                      HasSubstr("output field 'z'"),
                                      HasSubstr("expected int, got string"))));
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"x", "1"}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Affine'"), HasSubstr("'x'"))));
}

TEST(Sequence, RejectsBadArguments) {
  EXPECT_THAT([] { sequence("S", {}); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'S'"), HasSubstr("at least one step"))));
  EXPECT_THAT(
      [] {
        sequence("S", {affine(1, 0), nullptr});
      },
      ThrowsMessage<InputError>(HasSubstr("step 2 is null")));
  EXPECT_THAT([] { sequence("", {affine(1, 0)}); },
              ThrowsMessage<InputError>(HasSubstr("name is empty")));
}

TEST(Sequence, RejectsStepsThatCannotConnect) {
  EXPECT_THAT(
      [] {
        sequence("S", {affine(1, 0, "x", "y"), affine(1, 0, "z")});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'S'"), HasSubstr("step 2 ('Affine')"),
                HasSubstr("requires input 'z'"), HasSubstr("step 1"))));
  EXPECT_THAT(
      [] {
        sequence("S", {identity({"y", "w"}), affine(1, 0, "y")});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("step 1 ('Identity') outputs 'w'"),
                HasSubstr("step 2 ('Affine') does not accept"))));
}

TEST(Sequence, OpenInputsAcceptExtraOutputs) {
  OperatorPtr op = sequence("S", {identity({"a", "b"}), select({"a"})});
  EXPECT_EQ((*op)(Record{{"a", 1}, {"b", 2}}), (Record{{"a", 1}}));
}

TEST(Ensemble, CollectsMemberOutputsInOrder) {
  OperatorPtr op = ensemble({tagger("one"), tagger("two"), tagger("three")});
  EXPECT_EQ(op->name(), "Ensemble");
  EXPECT_EQ(op->spec().to_string(), "(prompt: string) -> (responses: list)");
  Record out = (*op)(Record{{"prompt", "q"}});
  EXPECT_EQ(out.at("responses"), Value::list({"one:q", "two:q", "three:q"}));
}

TEST(Ensemble, UsesTheGivenFieldNames) {
  OperatorPtr op = ensemble({affine(2, 0, "n", "m"), affine(3, 0, "n", "m")},
                            "n", "m", "all");
  EXPECT_EQ(op->spec().to_string(), "(n: any) -> (all: list)");
  EXPECT_EQ((*op)(Record{{"n", 5}}), (Record{{"all", Value::list({10, 15})}}));
}

TEST(Ensemble, InputKindIsAnyWhenMembersDisagree) {
  OperatorPtr op = ensemble({tagger("t"), rename({{"prompt", "response"}})});
  EXPECT_EQ(op->spec().find_input(FieldId("prompt"))->kind, std::nullopt);
}

TEST(Ensemble, ValidatesInputsAndMemberCalls) {
  OperatorPtr op = ensemble({tagger("t")});
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"prompt", 3}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Ensemble'"),
                                      HasSubstr("'prompt'"),
                                      HasSubstr("expected string, got int"))));
  OperatorPtr silent = function(
      "Silent", Specification().input("prompt").optional_output("response"),
      [](const Record &) { return Record{}; });
  OperatorPtr quiet = ensemble({silent});
  EXPECT_THAT(
      [&] {
        (*quiet)(Record{{"prompt", "q"}});
      },
      ThrowsMessage<InputError>(HasSubstr("'response'")));
}

TEST(Ensemble, RejectsMembersThatCannotBeCalled) {
  EXPECT_THAT(
      [] {
        ensemble({tagger("a"), affine(1, 0)});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Ensemble'"),
                                      HasSubstr("member 2 ('Affine')"),
                                      HasSubstr("input field 'prompt'"))));
  EXPECT_THAT(
      [] { ensemble({affine(1, 0, "prompt", "y")}); },
      ThrowsMessage<InputError>(AllOf(HasSubstr("member 1 ('Affine')"),
                                      HasSubstr("output field 'response'"))));
  EXPECT_THAT(
      [] { ensemble({binary(BinaryOp::Add, "prompt", "b", "response")}); },
      ThrowsMessage<InputError>(AllOf(HasSubstr("member 1 ('Add')"),
                                      HasSubstr("requires input field 'b'"))));
}

TEST(Ensemble, RejectsBadArguments) {
  EXPECT_THAT([] { ensemble({}); },
              ThrowsMessage<InputError>(AllOf(
                  HasSubstr("'Ensemble'"), HasSubstr("at least one member"))));
  EXPECT_THAT(
      [] {
        ensemble({tagger("a"), nullptr});
      },
      ThrowsMessage<InputError>(HasSubstr("member 2 is null")));
  EXPECT_THAT([] { ensemble({tagger("a")}, ""); },
              ThrowsMessage<InputError>(HasSubstr("empty input field name")));
  EXPECT_THAT([] { ensemble({tagger("a")}, "prompt", "response", ""); },
              ThrowsMessage<InputError>(HasSubstr("empty output field name")));
}

TEST(Composites, GlueIsPureRouting) {
  OperatorPtr chain = sequence("S", {affine(2, 1), affine(3, 0, "y", "z")});
  OperatorPtr voters = ensemble({tagger("a"), tagger("b")});
  for (auto [op, input] : {std::pair{chain, Record{{"x", 1}}},
                           std::pair{voters, Record{{"prompt", "q"}}}}) {
    Trace traced = trace(*op, input);
    const TraceRecord &root = traced.context->record(traced.root);
    EXPECT_EQ(root.children.size(), 2u) << op->name();
    EXPECT_TRUE(root.flattenable()) << op->name() << ": " << root.opaque_reason;
  }
}

TEST(Function, RunsTheBody) {
  OperatorPtr op = function(
      "Double", Specification().input("x", Kind::Int).output("y", Kind::Int),
      [](const Record &in) {
        return Record{{"y", in.at("x").as_int() * 2}};
      });
  EXPECT_EQ(op->name(), "Double");
  EXPECT_EQ((*op)(Record{{"x", 21}}), (Record{{"y", 42}}));
}

TEST(Function, IsCheckedAgainstItsSpecification) {
  int calls = 0;
  OperatorPtr op =
      function("F", Specification().input("x", Kind::Int).output("y"),
               [&](const Record &) {
                 ++calls;
                 return Record{{"wrong", 1}};
               });
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"x", "s"}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'F'"), HasSubstr("'x'"))));
  EXPECT_EQ(calls, 0);
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"x", 1}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'F'"), HasSubstr("'y'"))));
  EXPECT_EQ(calls, 1);
}

TEST(Function, RejectsBadArguments) {
  EXPECT_THAT([] { function("F", Specification(), nullptr); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'F'"), HasSubstr("body is empty"))));
  EXPECT_THAT(
      [] { function("", Specification(), [](const Record &r) { return r; }); },
      ThrowsMessage<InputError>(HasSubstr("name is empty")));
}

} // namespace
} // namespace xcs::ops
