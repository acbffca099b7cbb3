//===- json_test.cpp - Tests for JSON conversion --------------------------===//

#include "xcs/json.h"

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>

namespace xcs {
namespace {

using ::testing::HasSubstr;
using ::testing::StrEq;
using ::testing::ThrowsMessage;

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t int64_min = std::numeric_limits<std::int64_t>::min();

struct ParseCase {
  const char *text;
  std::function<Value()> expected;
};

void PrintTo(const ParseCase &c, std::ostream *os) { *os << c.text; }

class ParseJsonTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseJsonTest, GivesTheValueOfTheRightKind) {
  Value parsed = parse_json(GetParam().text);
  Value expected = GetParam().expected();
  EXPECT_EQ(parsed.kind(), expected.kind()) << parsed.to_string();
  EXPECT_EQ(parsed, expected);
}

INSTANTIATE_TEST_SUITE_P(
    Kinds, ParseJsonTest,
    ::testing::Values(
        ParseCase{"null", [] { return Value(); }},
        ParseCase{" true ", [] { return Value(true); }},
        ParseCase{"false", [] { return Value(false); }},
        ParseCase{"42", [] { return Value(42); }},
        ParseCase{"-7", [] { return Value(-7); }},
        ParseCase{"2.5", [] { return Value(2.5); }},
        ParseCase{"-0.125", [] { return Value(-0.125); }},
        // An integral number is an int however it is written.
        ParseCase{"5.0", [] { return Value(5); }},
        ParseCase{"1e3", [] { return Value(1000); }},
        ParseCase{"9223372036854775807", [] { return Value(int64_max); }},
        ParseCase{"-9223372036854775808", [] { return Value(int64_min); }},
        // 2^63 is integral but does not fit in int64.
        ParseCase{"9223372036854775808", [] { return Value(0x1p63); }},
        ParseCase{"9223372036854775808.0", [] { return Value(0x1p63); }},
        ParseCase{"1.5e300", [] { return Value(1.5e300); }},
        ParseCase{R"("h\u00e9\n")", [] { return Value("h\u00e9\n"); }},
        ParseCase{"[]", [] { return Value::list({}); }},
        ParseCase{"{}", [] { return Value::record(Record()); }},
        ParseCase{R"({"a": [1, {"b": null}, "x"], "c": {"d": 0.5}})", [] {
                    return Value::record(Record{
                        {"a",
                         Value::list(
                             {1, Value::record(Record{{"b", nullptr}}), "x"})},
                        {"c", Value::record(Record{{"d", 0.5}})}});
                  }}));

TEST(JsonTest, ParseRecord) {
  EXPECT_EQ(parse_json_record(R"({"query": "hi", "n": 2})"),
            (Record{{"query", "hi"}, {"n", 2}}));
}

TEST(JsonTest, ParseRecordRequiresAnObject) {
  EXPECT_THAT([] { parse_json_record("[1, 2]", "inputs.json"); },
              ThrowsMessage<InputError>(
                  StrEq("inputs.json: expected a JSON object, got list")));
  EXPECT_THAT([] { parse_json_record("3"); },
              ThrowsMessage<InputError>(
                  StrEq("<input>: expected a JSON object, got int")));
}

struct MalformedCase {
  const char *name;
  std::string text;
  const char *message;
};

class MalformedJsonTest : public ::testing::TestWithParam<MalformedCase> {};

// Columns are 1-based and count from the start of the line; LLVM reports the
// character its parser has just consumed, which is the offending one.
TEST_P(MalformedJsonTest, GivesSourceLineAndColumn) {
  const MalformedCase &c = GetParam();
  EXPECT_THAT([&] { parse_json(c.text, "config.json"); },
              ThrowsMessage<InputError>(StrEq(c.message)));
  EXPECT_THAT([&] { parse_json_record(c.text, "config.json"); },
              ThrowsMessage<InputError>(StrEq(c.message)));
}

INSTANTIATE_TEST_SUITE_P(
    Texts, MalformedJsonTest,
    ::testing::Values(
        MalformedCase{"stray_comma_on_line_3",
                      "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}",
                      "config.json:3:14: invalid JSON: Invalid JSON value"},
        MalformedCase{"missing_colon", "{\"a\" 1}",
                      "config.json:1:6: invalid JSON: Expected : after "
                      "object key"},
        MalformedCase{"bad_escape", "\"\\q\"",
                      "config.json:1:3: invalid JSON: Invalid escape "
                      "sequence"},
        // Nothing was consumed on the failing line: column 1, not 0.
        MalformedCase{"empty", "",
                      "config.json:1:1: invalid JSON: Unexpected EOF"},
        MalformedCase{"eof_at_line_start", "[1,\n",
                      "config.json:2:1: invalid JSON: Unexpected EOF"},
        // LLVM's parser keeps the last of two equal keys; an input that
        // says two things must not silently mean one of them.
        MalformedCase{"duplicate_key", "{\"x\": 1,\n \"y\": [], \"x\": 2}",
                      "config.json:2:11: invalid JSON: duplicate key \"x\""},
        MalformedCase{"duplicate_escaped_key",
                      "{\"a\": {\"x\": 1, \"\\u0078\": 2}}",
                      "config.json:1:16: invalid JSON: duplicate key "
                      "\"\\u0078\""},
        // Deep nesting is an error, not a stack overflow; the column is
        // that of the first bracket past the limit, strings do not count.
        MalformedCase{"nested_too_deep", "[\"[{\"," + std::string(300, '['),
                      "config.json:1:262: invalid JSON: nested more than "
                      "256 deep"},
        MalformedCase{"nested_too_deep_in_objects",
                      "{\"a\":" + std::string(100000, '['),
                      "config.json:1:261: invalid JSON: nested more than "
                      "256 deep"}),
    [](const auto &info) { return info.param.name; });

TEST(JsonTest, NestingUpToTheLimitParses) {
  Value deepest = parse_json(std::string(256, '[') + std::string(256, ']'));
  EXPECT_TRUE(deepest.is_list());
}

TEST(JsonTest, DefaultSourceName) {
  EXPECT_THAT([] { parse_json("[1"); },
              ThrowsMessage<InputError>(HasSubstr("<input>:1:")));
}

Record every_json_kind() {
  return Record{
      {"null", nullptr},
      {"flag", true},
      {"count", -3},
      {"ratio", 0.1},
      {"text", "line\n\"quoted\" \u00e9"},
      {"items", Value::list({1, Value::list({}), "x"})},
      {"nested", Value::record(Record{{"empty", Value::record({})}})}};
}

TEST(JsonTest, RecordsRoundTrip) {
  Record record = every_json_kind();
  EXPECT_EQ(parse_json_record(to_json(record)), record);
  EXPECT_EQ(parse_json_record(to_json(record, /*pretty=*/true)), record);
  EXPECT_EQ(parse_json(to_json(Value::record(record))), Value::record(record));
}

TEST(JsonTest, KeysAreSorted) {
  Record record{{"zeta_key", 1}, {"alpha_key", 2}};
  EXPECT_EQ(to_json(record), R"({"alpha_key":2,"zeta_key":1})");
  EXPECT_EQ(to_json(Value::record(Record{
                {"y", Value::record(Record{{"b", 1}, {"a", 2}})}, {"x", 0}})),
            R"({"x":0,"y":{"a":2,"b":1}})");
}

TEST(JsonTest, IntegralDoublesKeepTheirPoint) {
  EXPECT_EQ(to_json(Value(5.0)), "5.0");
  EXPECT_EQ(to_json(Value(0.1)), "0.1");
  EXPECT_EQ(to_json(Value(5)), "5");
}

TEST(JsonTest, PrettyPrinting) {
  Record record{{"b", Value::record({})}, {"a", Value::list({1, "x"})}};
  EXPECT_EQ(to_json(record, /*pretty=*/true), "{\n"
                                              "  \"a\": [\n"
                                              "    1,\n"
                                              "    \"x\"\n"
                                              "  ],\n"
                                              "  \"b\": {}\n"
                                              "}");
}

struct Tensor {};

struct UnconvertibleCase {
  const char *name;
  std::function<Value()> make;
  const char *message;
};

class UnconvertibleTest : public ::testing::TestWithParam<UnconvertibleCase> {};

// The bad value sits at a.b[1] in a record; the message names that path.
TEST_P(UnconvertibleTest, NamesThePath) {
  Record record{
      {"a", Value::record(Record{{"b", Value::list({1, GetParam().make()})}})}};
  EXPECT_THAT([&] { to_json(record); },
              ThrowsMessage<InputError>(
                  StrEq(std::string("cannot convert to JSON: at 'a.b[1]': ") +
                        GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Values, UnconvertibleTest,
    ::testing::Values(
        UnconvertibleCase{
            "opaque",
            [] { return Value::opaque(std::make_shared<Tensor>(), "tensor"); },
            "opaque value of type 'tensor' has no JSON form"},
        UnconvertibleCase{
            "nan",
            [] { return Value(std::numeric_limits<double>::quiet_NaN()); },
            "the double nan has no JSON form"},
        UnconvertibleCase{
            "infinity",
            [] { return Value(-std::numeric_limits<double>::infinity()); },
            "the double -inf has no JSON form"},
        UnconvertibleCase{"invalid_utf8", [] { return Value("ok\xff"); },
                          "string is not valid UTF-8"}),
    [](const auto &info) { return info.param.name; });

TEST(JsonTest, UnconvertibleRootAndKey) {
  EXPECT_THAT(
      [] { to_json(Value(std::numeric_limits<double>::infinity())); },
      ThrowsMessage<InputError>(HasSubstr("at the value: the double inf")));
  EXPECT_THAT(
      [] {
        to_json(Record{{"bad\xff", 1}});
      },
      ThrowsMessage<InputError>(HasSubstr("not valid UTF-8")));
}

// Found by the JSON fuzzer: LLVM's parser reads 1e400 as an infinity, which
// no JSON text can hold, so to_json() of the parsed value threw.
TEST(JsonTest, NumberBeyondADoubleIsAnError) {
  EXPECT_THAT([] { parse_json("1e400", "big.json"); },
              ThrowsMessage<InputError>(StrEq(
                  "big.json: invalid JSON: number does not fit in a double")));
  EXPECT_THAT(
      [] { parse_json(R"({"a": [1, {"b": -2e308}]})"); },
      ThrowsMessage<InputError>(StrEq("<input>: invalid JSON: number at "
                                      "'a[1].b' does not fit in a double")));
  // Tiny numbers round to zero, as JSON readers do; only overflow fails.
  EXPECT_EQ(parse_json("1e-400"), Value(0));
}

} // namespace
} // namespace xcs
