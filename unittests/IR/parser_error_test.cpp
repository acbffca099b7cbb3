//===- parser_error_test.cpp - Every parse error, with its position -------===//

#include "ir_test_util.h"

namespace xcs::ir {
namespace {

using test::file_name;
using test::parse_error;

struct ErrorCase {
  const char *text;
  const char *message;
};

class ParserErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParserErrorTest, NamesThePositionAndWhatWasExpected) {
  EXPECT_EQ(parse_error(GetParam().text), GetParam().message)
      << "parsing:\n"
      << GetParam().text;
}

/// "graph @g(x) -> (y) {\n" BODY "\n}": errors in the body are on line 2.
#define BODY(text) "graph @g(x) -> (y) {\n" text "\n}"

INSTANTIATE_TEST_SUITE_P(
    Structure, ParserErrorTest,
    ::testing::Values(
        ErrorCase{"", "test.xcs:1:1: expected 'operator' or 'graph', found "
                      "end of file"},
        ErrorCase{"graph g", "test.xcs:1:7: expected a graph name (@name), "
                             "found 'g'"},
        ErrorCase{"graph @g x", "test.xcs:1:10: expected '(', found 'x'"},
        ErrorCase{"graph @g(x y", "test.xcs:1:12: expected ',' or ')', found "
                                  "'y'"},
        ErrorCase{"graph @g(1)", "test.xcs:1:10: expected a field name, found "
                                 "number 1"},
        ErrorCase{"graph @g() (", "test.xcs:1:12: expected '->', found '('"},
        ErrorCase{"graph @g() -> () {", "test.xcs:1:19: expected a node "
                                        "definition (%name = ...), 'output', "
                                        "'schedule', 'slots' or '}', found "
                                        "end of file"},
        ErrorCase{"graph @g() -> () {\n output\n}\n}",
                  "test.xcs:4:1: expected 'graph' or end of file, found '}'"},
        ErrorCase{"operator op", "test.xcs:1:10: expected an operator name "
                                 "(@name), found 'op'"},
        ErrorCase{"operator @f F", "test.xcs:1:13: expected an operator name "
                                   "string, found 'F'"},
        ErrorCase{"operator @f \"F\"\noperator @f \"G\"",
                  "test.xcs:2:10: operator @f is declared twice"},
        ErrorCase{"operator @f \"F\" {\"a\" 1}",
                  "test.xcs:1:22: expected ':', found number 1"},
        ErrorCase{"graph @g() -> () {\n $\n}",
                  "test.xcs:2:2: expected a node definition (%name = ...), "
                  "'output', 'schedule', 'slots' or '}', found invalid text "
                  "'$'"},
        ErrorCase{"graph @g() -> () {\n % = input x\n}",
                  "test.xcs:2:2: expected a node definition (%name = ...), "
                  "'output', 'schedule', 'slots' or '}', found invalid text "
                  "'%'"}));

INSTANTIATE_TEST_SUITE_P(
    Nodes, ParserErrorTest,
    ::testing::Values(
        ErrorCase{BODY(" %0 input x"), "test.xcs:2:5: expected '=', found "
                                       "'input'"},
        ErrorCase{BODY(" %0 = frob x"),
                  "test.xcs:2:7: expected an opcode (input, const, call, get, "
                  "list, record, check, cond, switch, fallback, repeat or map), "
                  "found 'frob'"},
        ErrorCase{BODY(" %0 = input x\n %0 = input x"),
                  "test.xcs:3:2: %0 is already defined (at line 2)"},
        ErrorCase{BODY(" output y: %9"), "test.xcs:2:12: undefined value %9"},
        ErrorCase{BODY(" %0 = call @nope()"),
                  "test.xcs:2:12: unknown operator @nope (expected an "
                  "operator declared above)"},
        ErrorCase{BODY(" %0 = call f()"), "test.xcs:2:12: expected an "
                                          "operator (@name), found 'f'"},
        ErrorCase{"operator @f \"F\"\n" BODY(" %0 = check @f x(y: %0)"),
                  "test.xcs:3:16: expected the side to check (inputs or "
                  "outputs), found 'x'"},
        ErrorCase{BODY(" %0 = input 7"), "test.xcs:2:13: expected an input "
                                         "field name, found number 7"},
        ErrorCase{BODY(" %0 = input x\n %1 = get %0\n %2 = input x"),
                  "test.xcs:4:2: expected a path (a field or [index]), found "
                  "'%2'"},
        ErrorCase{BODY(" %0 = input x\n %1 = get %0 a[b]"),
                  "test.xcs:3:16: expected a list index, found 'b'"},
        ErrorCase{BODY(" %0 = input x\n %1 = get %0 a[-1]"),
                  "test.xcs:3:16: expected a list index, found number -1"},
        ErrorCase{BODY(" %0 = input x\n %1 = get %0 a[1"),
                  "test.xcs:4:1: expected ']', found '}'"},
        ErrorCase{BODY(" %0 = input x\n %1 = get %0 a.[1]"),
                  "test.xcs:3:16: expected a field name, found '['"},
        ErrorCase{BODY(" %0 = input x\n %1 = list [%0 %0]"),
                  "test.xcs:3:16: expected ',' or ']', found '%0'"},
        ErrorCase{BODY(" %0 = input x\n %1 = list %0"),
                  "test.xcs:3:12: expected '[', found '%0'"},
        ErrorCase{BODY(" %0 = input x\n %1 = list [x]"),
                  "test.xcs:3:13: expected a value (%name), found 'x'"},
        ErrorCase{BODY(" %0 = input x\n %1 = record {a %0}"),
                  "test.xcs:3:17: expected ':', found '%0'"},
        ErrorCase{BODY(" %0 = input x\n output y %0"),
                  "test.xcs:3:9: expected a node definition (%name = ...), "
                  "'output', 'schedule', 'slots' or '}', found 'y'"},
        ErrorCase{BODY(" %0 = input x\n output y: %0,"),
                  "test.xcs:4:1: expected a field name, found '}'"}));

/// A map's operator, a body graph @e, then a main graph whose body (line
/// 6 on) is \p text.
#define MAPPING(text)                                                          \
  "operator @m \"M\"\n"                                                       \
  "graph @e(v) -> (v) {\n"                                                     \
  " %0 = input v\n"                                                            \
  " output v: %0\n"                                                            \
  "}\n"                                                                        \
  "graph @g(x) -> (y) {\n %x = input x\n" text "\n}"

INSTANTIATE_TEST_SUITE_P(
    Maps, ParserErrorTest,
    ::testing::Values(
        ErrorCase{MAPPING(" %m = map @m(v: %x) over [v] body @nope"),
                  "test.xcs:8:35: unknown graph @nope (expected a graph "
                  "defined above)"},
        ErrorCase{MAPPING(" %m = map @m(v: %x) over [v] body @g"),
                  "test.xcs:8:35: unknown graph @g (expected a graph defined "
                  "above)"},
        ErrorCase{MAPPING(" %m = map @m(v: %x) [v] body @e"),
                  "test.xcs:8:21: expected 'over', found '['"},
        ErrorCase{MAPPING(" %m = map @m(v: %x) over v body @e"),
                  "test.xcs:8:26: expected '[', found 'v'"},
        ErrorCase{MAPPING(" %m = map @m(v: %x) over [v] @e"),
                  "test.xcs:8:30: expected 'body', found '@e'"},
        ErrorCase{MAPPING(" %m = map @m(v: %x) over [v] body e"),
                  "test.xcs:8:35: expected a body graph (@name), found 'e'"},
        ErrorCase{MAPPING(" %m = map @m(v: %x) over [v] body @e limit x"),
                  "test.xcs:8:44: expected the bound on elements in flight, "
                  "found 'x'"},
        ErrorCase{MAPPING(" %m = map @m(v: %x) over [v] body @e outcomes 1"),
                  "test.xcs:8:47: expected a field name, found number 1"},
        ErrorCase{"operator @m \"M\"\n"
                  "graph @e(v) -> (v) {\n output v: %0\n %0 = input v\n}\n"
                  "graph @e(v) -> (v) {\n}",
                  "test.xcs:6:7: graph @e is defined twice"}));

INSTANTIATE_TEST_SUITE_P(
    Literals, ParserErrorTest,
    ::testing::Values(
        ErrorCase{BODY(" %0 = const"), "test.xcs:3:1: expected a JSON value, "
                                       "found '}'"},
        ErrorCase{BODY(" %0 = const {a: 1}"),
                  "test.xcs:2:14: expected a JSON object key, found 'a'"},
        ErrorCase{BODY(" %0 = const {\"a\": 1, \"a\": 2}"),
                  "test.xcs:2:22: duplicate JSON object key \"a\""},
        ErrorCase{BODY(" %0 = const [1, 2,]"),
                  "test.xcs:2:19: expected a JSON value, found ']'"},
        ErrorCase{BODY(" %0 = const 99999999999999999999"),
                  "test.xcs:2:13: integer 99999999999999999999 does not fit "
                  "in 64 bits"},
        ErrorCase{BODY(" %0 = const 1e999"),
                  "test.xcs:2:13: number 1e999 does not fit in a double"},
        ErrorCase{BODY(" %0 = const 1."), "test.xcs:2:13: expected a JSON "
                                          "value, found invalid text '1.'"},
        ErrorCase{BODY(" %0 = const \"a\\qb\""),
                  "test.xcs:2:13: invalid string literal: Invalid escape "
                  "sequence"},
        ErrorCase{BODY(" %0 = const \"abc"),
                  "test.xcs:2:13: expected a JSON value, found an "
                  "unterminated string"},
        ErrorCase{BODY(" %0 = const <unprintable: opaque>"),
                  "test.xcs:2:13: expected a JSON value, found a placeholder "
                  "for a value that has no text form <unprintable: opaque>"},
        ErrorCase{BODY(" %0 = input \"\xff\""),
                  "test.xcs:2:13: invalid string literal: Invalid UTF-8 "
                  "sequence"}));

INSTANTIATE_TEST_SUITE_P(
    Sections, ParserErrorTest,
    ::testing::Values(
        ErrorCase{BODY(" output\n schedule {\n task 1 join 0:\n }"),
                  "test.xcs:4:7: expected task number 0, found number 1"},
        ErrorCase{BODY(" output\n schedule {\n task 0 0:\n }"),
                  "test.xcs:4:9: expected 'join', found number 0"},
        ErrorCase{BODY(" output\n schedule {\n task 0 join -1:\n }"),
                  "test.xcs:4:14: expected a join count, found number -1"},
        ErrorCase{BODY(" output\n schedule {\n task 0 join 0 -> x:\n }"),
                  "test.xcs:4:19: expected a task number, found 'x'"},
        ErrorCase{BODY(" output\n schedule {\n task 0 join 0 %0\n }"),
                  "test.xcs:4:16: expected ':', found '%0'"},
        ErrorCase{BODY(" output\n schedule {\n task 0 join 0: %7\n }"),
                  "test.xcs:4:17: undefined value %7"},
        ErrorCase{BODY(" %0 = input x\n output\n schedule {\n "
                       "task 0 join 0: %0,\n }"),
                  "test.xcs:6:2: expected a value (%name), found '}'"},
        ErrorCase{BODY(" output\n schedule {\n slots\n }"),
                  "test.xcs:4:2: expected 'task' or '}', found 'slots'"},
        ErrorCase{BODY(" output\n schedule {\n }\n schedule"),
                  "test.xcs:5:2: expected 'slots' or '}', found 'schedule'"},
        ErrorCase{BODY(" output\n slots x"),
                  "test.xcs:3:8: expected a slot count, found 'x'"},
        ErrorCase{BODY(" output\n slots 1 [0, 99999999999]"),
                  "test.xcs:3:14: expected a slot number, found number "
                  "99999999999"},
        ErrorCase{BODY(" output\n slots 1 [0]\n %1 = input x"),
                  "test.xcs:4:2: expected '}', found '%1'"}));

TEST(ParserErrorDepthTest, RejectsDeeplyNestedConstants) {
  std::string text =
      "graph @g() -> () {\n %0 = const " + std::string(100000, '[') + "\n}";
  EXPECT_EQ(parse_error(text), "test.xcs:2:270: JSON value nested more than "
                               "256 deep");
}

TEST(ParserErrorFileTest, UsesTheGivenFileName) {
  llvm::Expected<Module> module = parse("graph", "dir/pipeline.xcs");
  ASSERT_FALSE(module);
  EXPECT_EQ(llvm::toString(module.takeError()),
            "dir/pipeline.xcs:1:6: expected a graph name (@name), found end "
            "of file");
}

/// Every prefix of a module that uses every construct either parses, and
/// then prints canonically, or fails with a positioned message: the parser
/// has no state a truncated file can break.
TEST(ParserRobustnessTest, EveryPrefixParsesOrFailsCleanly) {
  std::string text = R"(operator @f "F" {"k": [1, 2.5, "s", null, true]}
graph @g(x, "y z") -> (a, b) {
  %0 = input x
  %1 = input "y z"
  %2 = call @f(v: %0, "w w": %1)  ; F
  %3 = get %2 items[0]."odd key".name
  %4 = list [%3, %0]
  %5 = record {p: %4, q: %3}
  %6 = const {"nested": {"list": [-1, 1e-3]}}
  output a: %5, b: %6
  schedule {
    task 0 join 0: %0, %1, %2, %3, %4, %5, %6
  }
  slots 8 [0, 1, 2, 3, 4, 5, 6, 7]
}
)";
  for (std::size_t length = 0; length <= text.size(); ++length) {
    std::string_view prefix(text.data(), length);
    llvm::Expected<Module> module = parse(prefix, file_name);
    if (!module) {
      EXPECT_EQ(llvm::toString(module.takeError()).rfind("test.xcs:", 0), 0u)
          << prefix;
      continue;
    }
    std::string printed = print(*module);
    EXPECT_EQ(test::reprint(printed), printed) << prefix;
  }
}

} // namespace
} // namespace xcs::ir
