//===- opcode_test.cpp - opcodes.def agrees with the IR's code ------------===//
//
// The properties in opcodes.def are only worth having if the parser, the
// printer, the verifier and the passes behave as they say. Each test runs a
// node of every opcode through one of them and compares with the table.
//
//===----------------------------------------------------------------------===//

#include "ir_test_util.h"

#include "IR/passes.h"
#include "IR/verifier.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <iterator>
#include <optional>

namespace xcs::ir {
namespace {

using test::message;
using test::parse_error;
using test::parse_text;

/// A canonical statement of \p opcode, the node after `%0 = input x` in
/// sample_text(). Listing every opcode makes a new one a -Wswitch warning
/// here too: it needs a sample.
std::string_view sample_statement(Opcode opcode) {
  switch (opcode) {
  case Opcode::Input:
    return "%1 = input x";
  case Opcode::Const:
    return "%1 = const 1";
  case Opcode::Call:
    return "%1 = call @op0(v: %0)  ; F";
  case Opcode::Get:
    return "%1 = get %0 a";
  case Opcode::List:
    return "%1 = list [%0]";
  case Opcode::Record:
    return "%1 = record {v: %0}";
  case Opcode::Output:
    return "output y: %0";
  case Opcode::Check:
    return "%1 = check @op0 inputs(v: %0)  ; F";
  case Opcode::Cond:
    return "%1 = cond @op0(v: %0) on v then @op0 else @op0  ; F";
  case Opcode::Switch:
    return "%1 = switch @op0(v: %0) on v case 1 @op0, default @op0  ; F";
  case Opcode::Fallback:
    return "%1 = fallback @op0(v: %0) try @op0 catch @op0  ; F";
  case Opcode::Repeat:
    return "%1 = repeat @op0(v: %0) body @op0 until done max 2  ; F";
  case Opcode::Map:
    return "%1 = map @op0(v: %0) over [v] body @e  ; F";
  }
  llvm_unreachable("a switch over every opcode");
}

/// A verified module in canonical text whose node 1 is \p opcode's sample,
/// which nothing uses; a map's body graph @e comes before it.
std::string sample_text(Opcode opcode) {
  std::string text = "; xcs routing IR\n"
                     "operator @op0 \"F\"\n";
  if (opcode == Opcode::Map)
    text += "\n"
            "graph @e(v) -> (v) {\n"
            "  %0 = input v\n"
            "  output v: %0\n"
            "}\n";
  text += "\n"
          "graph @g(x) -> (y) {\n"
          "  %0 = input x\n"
          "  " +
          std::string(sample_statement(opcode)) + "\n";
  if (opcode != Opcode::Output)
    text += "  output y: %0\n";
  return text + "}\n";
}

class OpcodeTest : public testing::TestWithParam<Opcode> {
protected:
  Opcode opcode() const { return GetParam(); }
  Module sample() const { return parse_text(sample_text(opcode())); }
};

TEST_P(OpcodeTest, KeywordNamesTheOpcode) {
  EXPECT_EQ(opcode_for_keyword(opcode_name(opcode())), opcode());
  EXPECT_EQ(std::count_if(std::begin(all_opcodes), std::end(all_opcodes),
                          [&](Opcode other) {
                            return opcode_name(other) == opcode_name(opcode());
                          }),
            1);
}

TEST_P(OpcodeTest, RoundTripsThroughPrinterAndParser) {
  std::string text = sample_text(opcode());
  Module module = parse_text(text);
  ASSERT_EQ(module.function.nodes.size(), opcode() == Opcode::Output ? 2u : 3u);
  EXPECT_EQ(module.function.nodes[1].opcode, opcode());
  EXPECT_EQ(message(verify(module)), "");
  EXPECT_EQ(print(module), text);
}

TEST_P(OpcodeTest, OnlyNamedOpcodesFollowAName) {
  std::string error = parse_error("graph @g(x) -> (y) {\n  %1 = " +
                                  std::string(opcode_name(opcode())) + "\n");
  std::string_view expected = "expected an opcode (";
  std::size_t list = error.find(expected);
  ASSERT_EQ(list == std::string::npos, is_named(opcode())) << error;
  if (list == std::string::npos)
    return;
  // The message lists exactly the named keywords.
  list += expected.size();
  std::string listed = error.substr(list, error.find(')', list) - list);
  for (Opcode other : all_opcodes)
    EXPECT_EQ(listed.find(opcode_name(other)) != std::string::npos,
              is_named(other))
        << listed;
}

TEST_P(OpcodeTest, OperandShapeIsWhatTheVerifierChecks) {
  Module module = sample();
  const Node &node = module.function.nodes[1];
  switch (operand_shape(opcode())) {
  case OperandShape::None:
    EXPECT_TRUE(node.operands.empty());
    break;
  case OperandShape::One:
    EXPECT_EQ(node.operands.size(), 1u);
    break;
  case OperandShape::Any:
    break;
  case OperandShape::Fields:
    EXPECT_EQ(node.fields.size(), node.operands.size());
    break;
  }
  // One operand more, with no field: only Any takes it.
  module.function.nodes[1].operands.push_back(0);
  EXPECT_EQ(message(verify(module)).empty(),
            operand_shape(opcode()) == OperandShape::Any);
}

TEST_P(OpcodeTest, UsesOperatorIsWhatTheVerifierChecks) {
  Module module = sample();
  module.function.nodes[1].op = 7;
  EXPECT_EQ(message(verify(module)).empty(), !uses_operator(opcode()));
}

TEST_P(OpcodeTest, AlwaysLiveIsWhatDeadNodeEliminationKeeps) {
  Module module = sample();
  eliminate_dead_nodes(module.function);
  bool kept = module.function.nodes.size() > 1 &&
              module.function.nodes[1].opcode == opcode();
  EXPECT_EQ(kept, always_live(opcode()));
}

TEST_P(OpcodeTest, StartsTaskIsWhatTheSchedulerDoes) {
  Module module = sample();
  Function &function = module.function;
  // Two independent nodes of the opcode, so that chain fusion does not
  // merge a lone successor back into the input's task.
  if (opcode() != Opcode::Output) {
    Node twin = function.nodes[1];
    function.nodes.insert(function.nodes.begin() + 2, std::move(twin));
  }
  schedule(function);
  ASSERT_EQ(message(verify(module)), "");
  std::optional<std::size_t> task_of[2];
  for (std::size_t t = 0; t < function.tasks.size(); ++t)
    for (NodeIndex node : function.tasks[t].nodes)
      if (node < 2)
        task_of[node] = t;
  // The output is in no task; every other node joins the input's task
  // unless it starts its own.
  bool own_task = task_of[1] && task_of[1] != task_of[0];
  EXPECT_EQ(own_task, starts_task(opcode()));
}

INSTANTIATE_TEST_SUITE_P(AllOpcodes, OpcodeTest, testing::ValuesIn(all_opcodes),
                         [](const testing::TestParamInfo<Opcode> &info) {
                           return std::string(opcode_name(info.param));
                         });

} // namespace
} // namespace xcs::ir
