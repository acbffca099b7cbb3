//===- input_proof_test.cpp - Which calls need no input validation -------===//

#include "JIT/input_proof.h"

#include "scheduled_ir.h"
#include "xcs/ops.h"

#include <gtest/gtest.h>

namespace xcs {
namespace {

/// {n: int, tag?: string} -> {n: int, any}.
OperatorPtr typed(std::string name) {
  return ops::function(std::move(name),
                       Specification()
                           .input("n", Kind::Int)
                           .optional_input("tag", Kind::String)
                           .output("n", Kind::Int)
                           .output("any"),
                       [](const Record &in) {
                         return Record{{"n", in.at("n")}, {"any", 1}};
                       });
}

/// The proof for each call of \p text, whose operators are all typed().
std::vector<std::uint8_t> proof(std::string_view text) {
  ir::Module module = test::parsed(text);
  std::vector<OperatorPtr> operators;
  for (const ir::OperatorRef &ref : module.operators)
    operators.push_back(typed(ref.name));
  std::vector<std::uint8_t> proven =
      prove_call_inputs(module.function, operators);
  std::vector<std::uint8_t> calls;
  for (ir::NodeIndex i = 0; i < module.function.nodes.size(); ++i)
    if (module.function.nodes[i].opcode == ir::Opcode::Call)
      calls.push_back(proven[i]);
  return calls;
}

TEST(InputProofTest, AnOutputDeclaredWithTheKindProvesTheInput) {
  // The first call reads the graph input, which only a run can check; the
  // second reads the first's output n, declared int.
  EXPECT_EQ(proof(R"(
operator @a "A"
operator @b "B"
graph @g(x) -> (y) {
  %0 = input x
  %1 = call @a(n: %0)
  %2 = get %1 n
  %3 = call @b(n: %2)
  %4 = get %3 n
  output y: %4
}
)"),
            (std::vector<std::uint8_t>{0, 1}));
}

TEST(InputProofTest, UnknownOrWrongKindsAndMissingFieldsProveNothing) {
  EXPECT_EQ(proof(R"(
operator @a "A"
graph @g(x) -> (y) {
  %0 = const 1
  %1 = call @a(n: %0)
  %2 = get %1 any
  %3 = call @a(n: %2)
  %4 = const "one"
  %5 = call @a(n: %4)
  %6 = call @a(n: %0, tag: %0)
  %7 = call @a(n: %0, extra: %0)
  %8 = call @a(tag: %4)
  %9 = list [%0]
  %10 = call @a(n: %0, tag: %9)
  output y: %0
}
)"),
            // const int; output of kind any; const string; tag given an
            // int; an undeclared field; n missing; tag given a list.
            (std::vector<std::uint8_t>{1, 0, 0, 0, 0, 0, 0}));
}

} // namespace
} // namespace xcs
