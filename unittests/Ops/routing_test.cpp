//===- routing_test.cpp - identity, select, rename, format ----------------===//

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

TEST(Identity, PassesDeclaredFieldsThrough) {
  OperatorPtr op = identity({"a", "b"});
  EXPECT_EQ(op->name(), "Identity");
  EXPECT_EQ(op->spec().to_string(), "(a: any, b: any) -> (a: any, b: any)");
  Record in{{"a", 1}, {"b", "two"}};
  EXPECT_EQ((*op)(in), in);
}

TEST(Identity, RejectsMissingAndUnknownFields) {
  OperatorPtr op = identity({"a"});
  EXPECT_THAT(
      [&] { (*op)(Record{}); },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Identity'"), HasSubstr("'a'"),
                                      HasSubstr("missing"))));
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"a", 1}, {"z", 2}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Identity'"), HasSubstr("'z'"),
                                      HasSubstr("unknown"))));
}

TEST(Identity, RejectsBadFieldNames) {
  EXPECT_THAT(
      [] {
        identity({"a", "b", "a"});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Identity'"), HasSubstr("duplicate field 'a'"))));
  EXPECT_THAT([] { identity({""}); },
              ThrowsMessage<InputError>(HasSubstr("empty field name")));
}

TEST(Identity, DeclaresEachFieldFromItself) {
  auto deps = dependencies_of(identity({"a"}));
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].output, FieldId("a"));
  EXPECT_EQ(deps[0].inputs, std::vector<FieldId>{FieldId("a")});
}

TEST(Select, KeepsOnlyTheSelectedFields) {
  OperatorPtr op = select({"b"});
  EXPECT_EQ(op->name(), "Select");
  EXPECT_TRUE(op->spec().has_open_inputs());
  EXPECT_EQ((*op)(Record{{"a", 1}, {"b", 2.5}, {"c", "x"}}),
            (Record{{"b", 2.5}}));
}

TEST(Select, RequiresTheSelectedFields) {
  OperatorPtr op = select({"b"});
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"a", 1}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Select'"), HasSubstr("'b'"))));
  EXPECT_THAT(
      [] {
        select({"x", "x"});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Select'"), HasSubstr("duplicate field 'x'"))));
}

TEST(Rename, MovesValuesToNewNames) {
  OperatorPtr op = rename({{"a", "x"}, {"b", "y"}});
  EXPECT_EQ(op->name(), "Rename");
  EXPECT_EQ((*op)(Record{{"a", 1}, {"b", "s"}}),
            (Record{{"x", 1}, {"y", "s"}}));
}

TEST(Rename, CanSwapFields) {
  OperatorPtr op = rename({{"a", "b"}, {"b", "a"}});
  EXPECT_EQ((*op)(Record{{"a", 1}, {"b", 2}}), (Record{{"a", 2}, {"b", 1}}));
  auto deps = dependencies_of(op);
  ASSERT_EQ(deps.size(), 2u);
  EXPECT_EQ(deps[0].output, FieldId("b"));
  EXPECT_EQ(deps[0].inputs, std::vector<FieldId>{FieldId("a")});
}

TEST(Rename, RejectsDuplicateSourcesAndTargets) {
  EXPECT_THAT(
      [] {
        rename({{"a", "x"}, {"a", "y"}});
      },
      ThrowsMessage<InputError>(AllOf(HasSubstr("'Rename'"),
                                      HasSubstr("duplicate input field 'a'"))));
  EXPECT_THAT(
      [] {
        rename({{"a", "x"}, {"b", "x"}});
      },
      ThrowsMessage<InputError>(AllOf(
          HasSubstr("'Rename'"), HasSubstr("duplicate output field 'x'"))));
  EXPECT_THAT(
      [] {
        rename({{"a", ""}});
      },
      ThrowsMessage<InputError>(HasSubstr("empty output field name")));
}

TEST(Rename, RejectsWrongInputs) {
  OperatorPtr op = rename({{"a", "x"}});
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"x", 1}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Rename'"), HasSubstr("'a'"))));
}

TEST(Format, FillsPlaceholders) {
  OperatorPtr op = format("Hello, {name}! You are {age}.", "greeting");
  EXPECT_EQ(op->name(), "Format");
  EXPECT_EQ(op->spec().to_string(),
            "(name: any, age: any) -> (greeting: string)");
  EXPECT_EQ((*op)(Record{{"name", "Ada"}, {"age", 36}}),
            (Record{{"greeting", "Hello, Ada! You are 36."}}));
}

TEST(Format, PrintsNonStringsWithToString) {
  OperatorPtr op = format("{v}");
  Value list = Value::list({1, "a", 2.5});
  EXPECT_EQ((*op)(Record{{"v", list}}).at("text").as_string(),
            list.to_string());
  EXPECT_EQ((*op)(Record{{"v", true}}).at("text").as_string(),
            Value(true).to_string());
  EXPECT_EQ((*op)(Record{{"v", nullptr}}).at("text").as_string(),
            Value().to_string());
}

TEST(Format, RepeatedPlaceholderIsOneInput) {
  OperatorPtr op = format("{x}-{x}");
  EXPECT_EQ(op->spec().inputs().size(), 1u);
  EXPECT_EQ((*op)(Record{{"x", "ab"}}).at("text").as_string(), "ab-ab");
  auto deps = dependencies_of(op);
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0].output, FieldId("text"));
  EXPECT_EQ(deps[0].inputs, std::vector<FieldId>{FieldId("x")});
}

TEST(Format, DoubledBracesAreLiteral) {
  OperatorPtr op = format("{{{x}}} {{}}");
  EXPECT_EQ((*op)(Record{{"x", 7}}).at("text").as_string(), "{7} {}");
}

TEST(Format, TemplateWithoutPlaceholdersTakesNoInputs) {
  OperatorPtr op = format("constant");
  EXPECT_TRUE(op->spec().inputs().empty());
  EXPECT_EQ((*op)(Record{}).at("text").as_string(), "constant");
}

TEST(Format, RejectsMalformedTemplatesWithColumn) {
  EXPECT_THAT([] { format("Hi {name"); },
              ThrowsMessage<InputError>(
                  AllOf(HasSubstr("'Format'"), HasSubstr("'Hi {name'"),
                        HasSubstr("unclosed '{' at column 4"))));
  EXPECT_THAT([] { format("a{}b"); },
              ThrowsMessage<InputError>(AllOf(HasSubstr("'a{}b'"),
                                              HasSubstr("empty placeholder"),
                                              HasSubstr("column 2"))));
  EXPECT_THAT([] { format("ab}c"); },
              ThrowsMessage<InputError>(AllOf(HasSubstr("'ab}c'"),
                                              HasSubstr("unmatched '}'"),
                                              HasSubstr("column 3"))));
  EXPECT_THAT(
      [] { format("{a{b}"); },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'{' inside a placeholder"), HasSubstr("column 3"))));
  EXPECT_THAT([] { format("{x}}"); },
              ThrowsMessage<InputError>(HasSubstr("column 4")));
}

TEST(Format, RejectsEmptyOutputName) {
  EXPECT_THAT(
      [] { format("x", ""); },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Format'"), HasSubstr("empty output field name"))));
}

TEST(Format, RejectsMissingPlaceholderField) {
  OperatorPtr op = format("{who} says {what}");
  EXPECT_THAT(
      [&] {
        (*op)(Record{{"who", "me"}});
      },
      ThrowsMessage<InputError>(
          AllOf(HasSubstr("'Format'"), HasSubstr("'what'"))));
}

} // namespace
} // namespace xcs::ops
