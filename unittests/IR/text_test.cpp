//===- text_test.cpp - Printing and parsing round trips -------------------===//

#include "ir_test_util.h"

#include "xcs/record.h"

#include <limits>
#include <memory>

namespace xcs::ir {
namespace {

using test::parse_text;
using test::reprint;

/// print(parse(text)) is canonical: printing its parse gives the same bytes.
void expect_round_trip(std::string_view text) {
  std::string first = reprint(text);
  EXPECT_EQ(reprint(first), first) << "from:\n" << text;
}

TEST(TextTest, PrintsTheCanonicalForm) {
  std::string_view text = R"(
operator @member "Member1"
operator @aff "affine" {"mul": 2, "add": 5}
graph @ensemble_judge(query) -> (answer) {
  %q = input query
  %r = call @member(prompt: %q)
  %a = get %r response
  %l = list [%a, %a]
  %rec = record {b: %l, a: %a}
  %c = const {"k": [1, 2.5, "s"]}
  %n = call @aff(x: %c)
  output answer: %rec
}
)";
  EXPECT_EQ(reprint(text), R"(; xcs routing IR
operator @op0 "Member1"
operator @op1 "affine" {"add":5,"mul":2}

graph @ensemble_judge(query) -> (answer) {
  %0 = input query
  %1 = call @op0(prompt: %0)  ; Member1
  %2 = get %1 response
  %3 = list [%2, %2]
  %4 = record {b: %3, a: %2}
  %5 = const {"k":[1,2.5,"s"]}
  %6 = call @op1(x: %5)  ; affine
  output answer: %4
}
)");
}

TEST(TextTest, RoundTripsHandWrittenModules) {
  const char *texts[] = {
      // The smallest module.
      "graph @g() -> () {\n output\n}",
      // Empty lists, records and argument lists.
      R"(operator @f "F"
         graph @g() -> (a, b, c) {
           %0 = list []
           %1 = record {}
           %2 = call @f()
           output a: %0, b: %1, c: %2
         })",
      // Quoted names wherever a field name goes.
      R"(operator @op "has \"quotes\"\nand a newline"
         graph @g("a b", "0x", "") -> ("é", "new\nline") {
           %0 = input "a b"
           %1 = input "0x"
           %2 = input ""
           %3 = record {"x y": %0, "": %1}
           %4 = call @op("with space": %3, plain_name-2: %2)
           output "é": %3, "new\nline": %4
         })",
      // Paths: nested fields, indices, quoted steps, a leading index.
      R"(graph @g(x) -> (a, b, c) {
           %0 = input x
           %1 = get %0 items[0].name
           %2 = get %0 "odd key"[3]."more odd"
           %3 = list [%1, %2]
           %4 = get %3 [1][0]
           output a: %1, b: %2, c: %4
         })",
      // Constants of every kind; doubles keep their kind and digits.
      R"(graph @g() -> (a) {
           %0 = const null
           %1 = const true
           %2 = const false
           %3 = const -42
           %4 = const 5.0
           %5 = const 0.1
           %6 = const 1e+100
           %7 = const -0.0
           %8 = const 9223372036854775807
           %9 = const "tab\t \u00e9 \ud83d\ude00"
           %10 = const {"z": [], "a": {"nested": [1, [2, [3]]]}, "m": {}}
           output a: %10
         })",
      // Constants may span lines in hand-written text.
      R"(graph @g() -> (a) {
           %0 = const {
             "k": [1,
                   2]
           }
           output a: %0
         })",
      // Values used before their definition still print (verify rejects).
      R"(graph @g() -> (a) {
           %a = list [%b]
           %b = const 1
           output a: %a
         })",
      // Scheduled, with slots.
      R"(operator @f "F"
         graph @g(x) -> (y) {
           %0 = input x
           %1 = call @f(x: %0)
           %2 = call @f(x: %0)
           %3 = list [%1, %2]
           output y: %3
           schedule {
             task 0 join 0 -> 1, 2: %0
             task 1 join 1 -> 3: %1
             task 2 join 1 -> 3: %2
             task 3 join 2: %3
             task 4 join 0:
           }
           slots 5 [4, 3, 2, 1, 0]
         })",
      // Slots without a schedule; comments anywhere.
      R"(; leading comment
         graph @g(x) -> (y) { ; after the brace
           %0 = input x ; trailing
           output y: %0
           slots 2 [0, 1]
         })",
      // Section keywords are ordinary field names before ':'.
      R"(graph @g(schedule) -> (schedule, slots) {
           %0 = input schedule
           output schedule: %0, slots: %0
         })",
  };
  for (const char *text : texts)
    expect_round_trip(text);
}

TEST(TextTest, ParsesWhatItPrints) {
  Module module;
  module.operators.push_back(OperatorRef{"Op", Value()});
  Function &f = module.function;
  f.name = "g";
  FieldId odd("a.b [c]");
  f.inputs = {odd};
  f.outputs = {FieldId("out")};
  Node input;
  input.opcode = Opcode::Input;
  input.field = odd;
  Node get;
  get.opcode = Opcode::Get;
  get.operands = {0};
  get.path = Path().field(odd).index(2).field(FieldId("x"));
  Node constant;
  constant.opcode = Opcode::Const;
  constant.value = Value::list({Value(1.0), Value(-3), Value("\"q\"")});
  Node output;
  output.opcode = Opcode::Output;
  output.fields = {FieldId("out")};
  output.operands = {1};
  f.nodes = {input, get, constant, output};

  std::string text = print(module);
  Module parsed = parse_text(text);
  EXPECT_EQ(print(parsed), text);
  ASSERT_EQ(parsed.function.nodes.size(), 4u);
  EXPECT_EQ(parsed.function.inputs, f.inputs);
  EXPECT_EQ(parsed.function.nodes[0].field, odd);
  EXPECT_EQ(parsed.function.nodes[1].path, get.path);
  EXPECT_EQ(parsed.function.nodes[2].value, constant.value);
  EXPECT_TRUE(parsed.function.nodes[2].value.as_list()[0].is_double());
}

TEST(TextTest, UnprintableValuesBecomeRejectedPlaceholders) {
  Module module;
  Function &f = module.function;
  f.name = "g";
  f.outputs = {FieldId("a")};
  Node constant;
  constant.opcode = Opcode::Const;
  constant.value = Value::record(
      Record{{"t", Value::opaque(std::make_shared<int>(1), "Tensor")}});
  Node nan;
  nan.opcode = Opcode::Const;
  nan.value = Value(std::numeric_limits<double>::quiet_NaN());
  Node output;
  output.opcode = Opcode::Output;
  output.fields = {FieldId("a")};
  output.operands = {0};
  f.nodes = {constant, nan, output};

  std::string text = print(module);
  EXPECT_NE(text.find("%0 = const <unprintable: cannot convert to JSON: at "
                      "'t': opaque value of type 'Tensor' has no JSON form>"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("%1 = const <unprintable: "), std::string::npos) << text;
  EXPECT_EQ(test::parse_error(text),
            "test.xcs:4:14: expected a JSON value, found a placeholder for a "
            "value that has no text form <unprintable: cannot convert to JSON: "
            "at 't': opaque value of type 'Tensor' has no JSON form>");
}

TEST(TextTest, MalformedNodesPrintWithoutCrashing) {
  Module module;
  Function &f = module.function;
  f.name = "g";
  Node get;
  get.opcode = Opcode::Get;
  Node record;
  record.opcode = Opcode::Record;
  record.fields = {FieldId("a"), FieldId("b")};
  record.operands = {0};
  Node call;
  call.opcode = Opcode::Call;
  call.op = 7;
  f.nodes = {get, record, call};
  EXPECT_EQ(print(module), R"(; xcs routing IR

graph @g() -> () {
  %0 = get <missing operand> <empty path>
  %1 = record {a: %0, b: <missing operand>}
  %2 = call @op7()
}
)");
}

} // namespace
} // namespace xcs::ir
