//===- control_flow_test.cpp - Structured nodes in the routing IR ---------===//
//
// The text form, the verifier and the interpreter of cond, switch,
// fallback and repeat nodes, and lowering a structured operator's node to
// one: the interpreter then gives what the eager call gives.
//
//===----------------------------------------------------------------------===//

#include "ir_test_util.h"

#include "IR/interpreter.h"
#include "IR/lower.h"
#include "IR/passes.h"
#include "IR/verifier.h"

#include "xcs/error.h"
#include "xcs/graph_builder.h"
#include "xcs/ops.h"
#include "xcs/trace.h"

#include <gmock/gmock.h>

#include <atomic>
#include <stdexcept>

namespace xcs::ir {
namespace {

using test::message;
using test::parse_error;
using test::parse_text;
using ::testing::HasSubstr;
using ::testing::ThrowsMessage;

constexpr std::string_view structured_text = R"(; xcs routing IR
operator @op0 "Cond"
operator @op1 "Then"
operator @op2 "Else"

graph @g(ok, x) -> (a, b, c, d) {
  %0 = input ok
  %1 = input x
  %2 = cond @op0(ok: %0, x: %1) on ok then @op1 else @op2  ; Cond
  %3 = switch @op0(x: %1) on x case "a" @op1, case 2 @op2, default @op1  ; Cond
  %4 = fallback @op0(x: %1) try @op1 catch @op2  ; Cond
  %5 = repeat @op0(x: %1) body @op1 until done max 3  ; Cond
  output a: %2, b: %3, c: %4, d: %5
}
)";

TEST(StructuredText, RoundTrips) {
  Module module = parse_text(structured_text);
  EXPECT_EQ(message(verify(module)), "");
  EXPECT_EQ(print(module), structured_text);
  const Node &choice = module.function.nodes[3];
  EXPECT_EQ(choice.opcode, Opcode::Switch);
  EXPECT_EQ(choice.cases, (std::vector<Value>{"a", 2}));
  EXPECT_EQ(choice.branches, (std::vector<std::uint32_t>{1, 2, 1}));
  EXPECT_EQ(module.function.nodes[5].max_iterations, 3u);
  EXPECT_EQ(module.function.nodes[5].field, FieldId("done"));
}

TEST(StructuredText, ParseErrorsPointAtTheToken) {
  EXPECT_EQ(parse_error("operator @f \"F\"\ngraph @g(x) -> (y) {\n"
                        "  %0 = input x\n"
                        "  %1 = cond @f(x: %0) on x then @f or @f\n"),
            "test.xcs:4:36: expected 'else', found 'or'");
  EXPECT_EQ(parse_error("operator @f \"F\"\ngraph @g(x) -> (y) {\n"
                        "  %0 = input x\n"
                        "  %1 = repeat @f(x: %0) body @f until done max -1\n"),
            "test.xcs:4:48: expected the iteration bound, found number -1");
  EXPECT_EQ(parse_error("operator @f \"F\"\ngraph @g(x) -> (y) {\n"
                        "  %0 = input x\n"
                        "  %1 = fallback @f(x: %0) try @f catch @nope\n"),
            "test.xcs:4:40: unknown operator @nope (expected an operator "
            "declared above)");
}

/// The verifier's message for structured_text with \p edit applied to
/// node \p node.
std::string verify_edited(NodeIndex node,
                          const std::function<void(Node &)> &edit) {
  Module module = parse_text(structured_text);
  edit(module.function.nodes[node]);
  return message(verify(module));
}

TEST(StructuredVerifier, ChecksBranchesSelectorAndBound) {
  EXPECT_EQ(verify_edited(2, [](Node &n) { n.branches.pop_back(); }),
            "graph @g: node %2 (cond): has 1 branches but needs 2");
  EXPECT_EQ(verify_edited(2, [](Node &n) { n.branches[1] = 9; }),
            "graph @g: node %2 (cond): uses @op9 but the operator table has "
            "3 entries");
  EXPECT_EQ(verify_edited(2, [](Node &n) { n.field = FieldId("nope"); }),
            "graph @g: node %2 (cond): chooses by 'nope', which is not one of "
            "its fields");
  EXPECT_EQ(verify_edited(3, [](Node &n) { n.cases[1] = "a"; }),
            "graph @g: node %3 (switch): case \"a\" appears twice");
  EXPECT_EQ(verify_edited(5, [](Node &n) { n.max_iterations = 0; }),
            "graph @g: node %5 (repeat): must run its body at least once (max "
            "0)");
  EXPECT_EQ(verify_edited(4, [](Node &n) { n.cases.push_back(1); }),
            "graph @g: node %4 (fallback): has case values but is not a "
            "switch");
}

/// {x: int} -> {y: int}: y = x * mul + add.
OperatorPtr step(std::string name, std::int64_t mul, std::int64_t add) {
  return ops::function(std::move(name),
                       Specification().input("x", Kind::Int).output("y",
                                                                    Kind::Int),
                       [mul, add](const Record &in) {
                         return Record{{"y", in.at("x").as_int() * mul + add}};
                       });
}

TEST(StructuredVerifier, BranchesMustAgreeWithTheOperators) {
  Module module = parse_text(structured_text);
  OperatorPtr y = step("Y", 1, 0);
  OperatorPtr z = ops::affine(1, 0, "x", "z");
  std::vector<OperatorPtr> agree{y, y, y};
  EXPECT_EQ(message(verify_branches(module, agree)),
            "graph @g: node %5 (repeat): body 'Y' must always output 'done' "
            "as a bool");
  std::vector<OperatorPtr> differ{y, y, z};
  EXPECT_THAT(message(verify_branches(module, differ)),
              HasSubstr("graph @g: node %2 (cond): branches must produce the "
                        "same output fields and kinds: output 'y' of 'Y' is "
                        "not an output of 'Affine'"));
}

/// A composite that routes its input through \p structured, so that the
/// trace gives a graph with one structured node. It declares the same
/// fields of any kind, so the structured node's own validation is what
/// rejects a kind.
OperatorPtr around(OperatorPtr structured) {
  Specification spec;
  for (const FieldSpec &field : structured->spec().inputs())
    field.required ? spec.input(field.id.name())
                   : spec.optional_input(field.id.name());
  for (const FieldSpec &field : structured->spec().outputs())
    spec.output(field.id.name());
  return ops::composite("Around", spec, [structured](const Record &in) {
    return (*structured)(in);
  });
}

/// The module lowered from a trace of \p op on \p input, and its table.
Module lowered(const OperatorPtr &op, const Record &input,
               std::vector<OperatorPtr> &table) {
  Trace trace = xcs::trace(*op, input);
  XCSGraph graph = AutoGraphBuilder().build(trace, "g");
  llvm::Expected<Module> module = lower(graph, table);
  if (!module) {
    ADD_FAILURE() << llvm::toString(module.takeError());
    return Module();
  }
  run_default_pipeline(*module);
  EXPECT_EQ(message(verify(*module)), "");
  EXPECT_EQ(message(verify_branches(*module, table)), "");
  return std::move(*module);
}

/// What \p op does eagerly on \p input, and the interpreter on the lowered
/// module: the same result, or the same exception type and message.
void expect_same(const OperatorPtr &op, const Module &module,
                 const std::vector<OperatorPtr> &table, const Record &input) {
  std::string eager, interpreted;
  try {
    eager = (*op)(input).to_string();
  } catch (const std::exception &e) {
    eager = std::string("threw ") + typeid(e).name() + ": " + e.what();
  }
  try {
    interpreted = interpret(module, table, input).to_string();
  } catch (const std::exception &e) {
    interpreted = std::string("threw ") + typeid(e).name() + ": " + e.what();
  }
  EXPECT_EQ(interpreted, eager) << input.to_string();
}

TEST(StructuredLowering, CondBecomesACondNode) {
  std::atomic<int> else_calls{0};
  OperatorPtr counted = ops::function(
      "Else", Specification().input("x", Kind::Int).output("y", Kind::Int),
      [&](const Record &in) {
        ++else_calls;
        return Record{{"y", in.at("x").as_int() - 1}};
      });
  OperatorPtr op = around(ops::cond("ok", step("Then", 2, 0), counted));
  std::vector<OperatorPtr> table;
  Module module = lowered(op, Record{{"ok", true}, {"x", 1}}, table);
  // The trace took the then branch; the node holds both. (Which input
  // node comes first depends on the order the field names were interned.)
  std::string text = print(module);
  EXPECT_THAT(text, ::testing::ContainsRegex(
                        "= cond @op0\\(ok: %[01], x: %[01]\\) on ok then "
                        "@op1 else @op2  ; Cond"));
  int before = else_calls.load();
  for (Record input : {Record{{"ok", true}, {"x", 4}},
                       Record{{"ok", false}, {"x", 4}},
                       Record{{"ok", "yes"}, {"x", 4}},
                       Record{{"ok", true}, {"x", "four"}}})
    expect_same(op, module, table, input);
  // One eager and one interpreted run took the else branch.
  EXPECT_EQ(else_calls.load() - before, 2);
}

TEST(StructuredLowering, SwitchFallbackAndRepeatAgreeWithEager) {
  OperatorPtr failing = ops::function(
      "Failing", Specification().input("x", Kind::Int).output("y", Kind::Int),
      [](const Record &in) -> Record {
        if (in.at("x").as_int() > 2)
          throw std::runtime_error("too big");
        return Record{{"y", in.at("x")}};
      });
  OperatorPtr recover = ops::function(
      "Recover",
      Specification()
          .input("x", Kind::Int)
          .input("error_message", Kind::String)
          .output("y", Kind::Int),
      [](const Record &in) {
        return Record{
            {"y", static_cast<std::int64_t>(
                      in.at("error_message").as_string().size())}};
      });
  OperatorPtr body = ops::function(
      "Halve",
      Specification().input("x", Kind::Int).output("x", Kind::Int).output(
          "done", Kind::Bool),
      [](const Record &in) {
        std::int64_t x = in.at("x").as_int() / 2;
        return Record{{"x", x}, {"done", x < 3}};
      });
  struct Case {
    OperatorPtr op;
    std::vector<Record> inputs;
  };
  std::vector<Case> cases{
      {around(ops::switch_on("k", {{1, step("One", 1, 0)}, {2, failing}},
                             step("Other", 0, 7))),
       {Record{{"k", 1}, {"x", 3}}, Record{{"k", 2}, {"x", 3}},
        Record{{"k", 2}, {"x", 1}}, Record{{"k", 9}, {"x", 3}},
        Record{{"k", "1"}, {"x", 3}}}},
      {around(ops::fallback(failing, recover)),
       {Record{{"x", 1}}, Record{{"x", 5}}}},
      {around(ops::repeat_until(body, "done", 3)),
       {Record{{"x", 1}}, Record{{"x", 20}}, Record{{"x", 1000}}}}};
  for (const Case &c : cases) {
    std::vector<OperatorPtr> table;
    Module module = lowered(c.op, c.inputs.front(), table);
    for (const Record &input : c.inputs)
      expect_same(c.op, module, table, input);
  }
}

} // namespace
} // namespace xcs::ir
