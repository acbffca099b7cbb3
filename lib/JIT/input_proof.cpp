//===- input_proof.cpp - Calls whose inputs need no validation ------------===//

#include "JIT/input_proof.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <optional>

namespace xcs {
namespace {

/// The kind node \p index of \p function has on every run, if known before
/// the run.
std::optional<Kind> known_kind(const ir::Function &function,
                               const std::vector<OperatorPtr> &operators,
                               ir::NodeIndex index) {
  const ir::Node &node = function.nodes[index];
  switch (node.opcode) {
  case ir::Opcode::Const:
    return detail::unobserved_kind(node.value);
  case ir::Opcode::List:
    return Kind::List;
  case ir::Opcode::Record:
    return Kind::Record;
  case ir::Opcode::Get: {
    const ir::Node &source = function.nodes[node.operands[0]];
    const std::vector<Path::Step> &steps = node.path.steps();
    if (source.opcode != ir::Opcode::Call || steps.size() != 1 ||
        steps[0].is_index())
      return std::nullopt;
    const FieldSpec *field =
        operators[source.op]->spec().find_output(steps[0].field);
    return field ? field->kind : std::nullopt;
  }
  case ir::Opcode::Input:
  case ir::Opcode::Call:
  case ir::Opcode::Output:
  case ir::Opcode::Check:
  case ir::Opcode::Cond:
  case ir::Opcode::Switch:
  case ir::Opcode::Fallback:
  case ir::Opcode::Repeat:
  case ir::Opcode::Map:
    return std::nullopt;
  }
  llvm_unreachable("a switch over every opcode");
}

bool proven(const ir::Function &function,
            const std::vector<OperatorPtr> &operators, const ir::Node &call) {
  const Specification &spec = operators[call.op]->spec();
  for (const FieldSpec &field : spec.inputs())
    if (field.required && std::find(call.fields.begin(), call.fields.end(),
                                    field.id) == call.fields.end())
      return false;
  for (std::size_t i = 0; i < call.fields.size(); ++i) {
    const FieldSpec *field = spec.find_input(call.fields[i]);
    if (!field) {
      if (!spec.has_open_inputs())
        return false;
      continue;
    }
    if (!field->kind)
      continue;
    std::optional<Kind> kind =
        known_kind(function, operators, call.operands[i]);
    if (!kind || !field->accepts_kind(*kind))
      return false;
  }
  return true;
}

/// The bits runtime::proven_branch() reads for structured node \p node: bit
/// 1 + b when the share of its input that a cond's or switch's branch b
/// takes (the fields it declares) is proven as a call's input is.
std::uint8_t proven_branches(const ir::Function &function,
                             const std::vector<OperatorPtr> &operators,
                             const ir::Node &node) {
  if (node.opcode != ir::Opcode::Cond && node.opcode != ir::Opcode::Switch)
    return 0;
  std::uint8_t bits = 0;
  for (std::size_t b = 0; b < node.branches.size() && b + 1 < 8; ++b) {
    const Specification &spec = operators[node.branches[b]]->spec();
    ir::Node share;
    share.op = node.branches[b];
    for (std::size_t i = 0; i < node.fields.size(); ++i)
      if (spec.has_open_inputs() || spec.find_input(node.fields[i])) {
        share.fields.push_back(node.fields[i]);
        share.operands.push_back(node.operands[i]);
      }
    if (proven(function, operators, share))
      bits |= static_cast<std::uint8_t>(1u << (b + 1));
  }
  return bits;
}

} // namespace

std::vector<std::uint8_t>
prove_call_inputs(const ir::Function &function,
                  const std::vector<OperatorPtr> &operators) {
  std::vector<std::uint8_t> proven_calls(function.nodes.size(), 0);
  for (ir::NodeIndex i = 0; i < function.nodes.size(); ++i)
    if (ir::returns_record(function.nodes[i].opcode))
      proven_calls[i] = proven(function, operators, function.nodes[i]) |
                        proven_branches(function, operators, function.nodes[i]);
  return proven_calls;
}

} // namespace xcs
