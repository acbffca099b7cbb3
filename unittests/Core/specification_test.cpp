//===- specification_test.cpp - Tests for xcs::Specification --------------===//

#include "xcs/specification.h"

#include "xcs/error.h"
#include "xcs/json.h"
#include "xcs/record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xcs {
namespace {

using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

// (query: string, n?: int, temperature?: double) -> (answer: string, score?:
// any)
Specification ask_spec() {
  return Specification()
      .input("query", Kind::String)
      .optional_input("n", Kind::Int)
      .optional_input("temperature", Kind::Double)
      .output("answer", Kind::String)
      .optional_output("score");
}

TEST(SpecificationTest, BuilderDeclaresFields) {
  Specification spec = ask_spec();
  ASSERT_EQ(spec.inputs().size(), 3u);
  ASSERT_EQ(spec.outputs().size(), 2u);
  EXPECT_EQ(spec.inputs()[0].id, FieldId("query"));
  EXPECT_EQ(spec.inputs()[0].kind, Kind::String);
  EXPECT_TRUE(spec.inputs()[0].required);
  EXPECT_FALSE(spec.has_open_inputs());

  const FieldSpec *n = spec.find_input(FieldId("n"));
  ASSERT_NE(n, nullptr);
  EXPECT_FALSE(n->required);
  const FieldSpec *score = spec.find_output(FieldId("score"));
  ASSERT_NE(score, nullptr);
  EXPECT_EQ(score->kind, std::nullopt);
  EXPECT_EQ(score->kind_text(), "any");
  EXPECT_EQ(spec.find_input(FieldId("answer")), nullptr);
  EXPECT_EQ(spec.find_output(FieldId("query")), nullptr);
}

TEST(SpecificationTest, FieldSpecAccepts) {
  FieldSpec number{FieldId("x"), Kind::Double};
  EXPECT_TRUE(number.accepts(Value(1.5)));
  EXPECT_TRUE(number.accepts(Value(1)));
  EXPECT_FALSE(number.accepts(Value("1")));
  FieldSpec integer{FieldId("x"), Kind::Int};
  EXPECT_FALSE(integer.accepts(Value(1.0)));
  FieldSpec any{FieldId("x"), std::nullopt};
  EXPECT_TRUE(any.accepts(Value()));
  EXPECT_TRUE(any.accepts(Value::list({})));
}

TEST(SpecificationTest, DuplicateDeclarationThrows) {
  EXPECT_THAT(
      [] { Specification().input("x").optional_input("x", Kind::Int); },
      ThrowsMessage<InputError>(HasSubstr("field 'x' is declared twice")));
  EXPECT_THAT(
      [] { Specification().output("y").output("y"); },
      ThrowsMessage<InputError>(HasSubstr("field 'y' is declared twice")));
}

TEST(SpecificationTest, InputAndOutputMayShareAName) {
  Specification spec = Specification().input("text").output("text");
  EXPECT_NE(spec.find_input(FieldId("text")), nullptr);
  EXPECT_NE(spec.find_output(FieldId("text")), nullptr);
}

TEST(SpecificationTest, EmptyNameThrows) {
  EXPECT_THAT([] { Specification().input(""); },
              ThrowsMessage<InputError>(HasSubstr("must not be empty")));
  EXPECT_THAT([] { Specification().optional_output(""); },
              ThrowsMessage<InputError>(HasSubstr("must not be empty")));
}

// Records that satisfy ask_spec()'s inputs.
class AcceptedInputsTest : public ::testing::TestWithParam<Record> {};

TEST_P(AcceptedInputsTest, Pass) {
  EXPECT_NO_THROW(ask_spec().validate_inputs("Ask", GetParam()));
}

INSTANTIATE_TEST_SUITE_P(
    Records, AcceptedInputsTest,
    ::testing::Values(Record{{"query", "q"}}, Record{{"query", "q"}, {"n", 2}},
                      Record{{"query", "q"}, {"temperature", 0.5}},
                      // A double field accepts an int.
                      Record{{"query", "q"}, {"temperature", 1}},
                      Record{{"query", "q"}, {"n", 2}, {"temperature", 1.0}}));

struct RejectedCase {
  const char *name;
  Record record;
  const char *message;
};

class RejectedInputsTest : public ::testing::TestWithParam<RejectedCase> {};

TEST_P(RejectedInputsTest, NameOperatorFieldAndKinds) {
  EXPECT_THAT([&] { ask_spec().validate_inputs("Ask", GetParam().record); },
              ThrowsMessage<InputError>(HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Records, RejectedInputsTest,
    ::testing::Values(
        RejectedCase{"missing_required", Record{{"n", 1}},
                     "operator 'Ask': input field 'query': missing "
                     "(expected string)"},
        RejectedCase{"empty", Record{},
                     "operator 'Ask': input field 'query': missing"},
        RejectedCase{"wrong_kind", Record{{"query", 7}},
                     "operator 'Ask': input field 'query': expected string, "
                     "got int"},
        RejectedCase{"optional_wrong_kind", Record{{"query", "q"}, {"n", 1.5}},
                     "operator 'Ask': input field 'n': expected int, got "
                     "double"},
        RejectedCase{
            "unknown_field",
            Record{
                {"query", "q"}, {"n", 1}, {"temperature", 0.1}, {"extra", 1}},
            "operator 'Ask': input field 'extra': unknown "
            "(declared: query, n, temperature)"},
        // As many fields as declared, but an optional one is replaced by an
        // unknown one: counting fields is not enough.
        RejectedCase{"unknown_field_instead_of_optional",
                     Record{{"query", "q"}, {"n", 1}, {"extra", 1}},
                     "operator 'Ask': input field 'extra': unknown"}),
    [](const auto &info) { return info.param.name; });

TEST(SpecificationTest, OpenInputsAcceptExtrasButCheckDeclared) {
  Specification spec = Specification().input("x", Kind::Int).open_inputs();
  EXPECT_TRUE(spec.has_open_inputs());
  EXPECT_NO_THROW(spec.validate_inputs("Pass", Record{{"x", 1}, {"y", "z"}}));
  EXPECT_THAT(
      [&] {
        spec.validate_inputs("Pass", Record{{"y", "z"}});
      },
      ThrowsMessage<InputError>(
          HasSubstr("operator 'Pass': input field 'x': missing")));
}

TEST(SpecificationTest, ValidateOutputs) {
  Specification spec = ask_spec();
  EXPECT_NO_THROW(spec.validate_outputs("Ask", Record{{"answer", "a"}}));
  EXPECT_NO_THROW(spec.validate_outputs(
      "Ask", Record{{"answer", "a"}, {"score", Value::list({})}}));
  EXPECT_THAT(
      [&] {
        spec.validate_outputs("Ask", Record{{"score", 1}});
      },
      ThrowsMessage<InputError>(
          HasSubstr("operator 'Ask': output field 'answer': missing "
                    "(expected string)")));
  EXPECT_THAT(
      [&] {
        spec.validate_outputs("Ask", Record{{"answer", true}});
      },
      ThrowsMessage<InputError>(
          HasSubstr("operator 'Ask': output field 'answer': expected "
                    "string, got bool")));
  EXPECT_THAT(
      [&] {
        spec.validate_outputs("Ask", Record{{"answer", "a"}, {"query", "q"}});
      },
      ThrowsMessage<InputError>(
          HasSubstr("operator 'Ask': output field 'query': unknown "
                    "(declared: answer, score)")));
}

TEST(SpecificationTest, OpenInputsDoNotOpenOutputs) {
  Specification spec = Specification().open_inputs().output("y");
  EXPECT_THAT(
      [&] {
        spec.validate_outputs("Pass", Record{{"y", 1}, {"z", 2}});
      },
      ThrowsMessage<InputError>(HasSubstr("output field 'z': unknown")));
}

TEST(SpecificationTest, UnknownFieldWithNothingDeclared) {
  EXPECT_THAT(
      [] {
        Specification().validate_inputs("Nothing", Record{{"z", 1}});
      },
      ThrowsMessage<InputError>(HasSubstr("unknown (declared: none)")));
}

TEST(SpecificationTest, ToString) {
  EXPECT_EQ(ask_spec().to_string(), "(query: string, n?: int, temperature?: "
                                    "double) -> (answer: string, score?: any)");
  EXPECT_EQ(Specification().to_string(), "() -> ()");
  EXPECT_EQ(Specification().open_inputs().to_string(), "(...) -> ()");
  EXPECT_EQ(Specification().input("x").open_inputs().output("y").to_string(),
            "(x: any, ...) -> (y: any)");
}

// The record form registry arguments use reads back to the same
// specification, optional fields, any-kind fields and open inputs included.
TEST(SpecificationTest, ValueFormRoundTrips) {
  Specification spec = Specification()
                           .input("query", Kind::String)
                           .optional_input("n", Kind::Int)
                           .input("extra")
                           .output("answer", Kind::String)
                           .optional_output("why")
                           .open_inputs();
  Specification again = Specification::from_value(spec.to_value());
  // The form is a JSON object: the fields, not their order, read back.
  for (SpecSide side : {SpecSide::Inputs, SpecSide::Outputs}) {
    const auto &fields =
        side == SpecSide::Inputs ? spec.inputs() : spec.outputs();
    EXPECT_EQ(fields.size(), (side == SpecSide::Inputs ? again.inputs()
                                                       : again.outputs())
                                 .size());
    for (const FieldSpec &field : fields) {
      const FieldSpec *read = again.find(side, field.id);
      ASSERT_NE(read, nullptr) << field.id.name();
      EXPECT_EQ(read->kind, field.kind) << field.id.name();
      EXPECT_EQ(read->required, field.required) << field.id.name();
    }
  }
  EXPECT_TRUE(again.has_open_inputs());
}

TEST(SpecificationTest, ValueFormErrorsNameTheEntry) {
  auto parse = [](std::string_view json) {
    return [value = parse_json(json)] { Specification::from_value(value); };
  };
  EXPECT_THAT(parse(R"({"inputs": {"x": "integer"}})"),
              ThrowsMessage<InputError>(HasSubstr(
                  "specification: inputs.x: unknown kind 'integer'")));
  EXPECT_THAT(parse(R"({"outputs": ["y"]})"),
              ThrowsMessage<InputError>(HasSubstr(
                  "'outputs' must be a record of field kinds")));
  EXPECT_THAT(parse(R"({"input": {}})"),
              ThrowsMessage<InputError>(HasSubstr("unknown entry 'input'")));
  EXPECT_THAT(parse(R"({"inputs": {"x": 1}})"),
              ThrowsMessage<InputError>(
                  HasSubstr("inputs.x: the kind must be a string")));
  EXPECT_THAT(parse("[]"), ThrowsMessage<InputError>(HasSubstr(
                               "expected a record with inputs and outputs")));
}

} // namespace
} // namespace xcs
