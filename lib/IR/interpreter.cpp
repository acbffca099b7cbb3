//===- interpreter.cpp - Reference execution of the routing IR ------------===//

#include "IR/interpreter.h"

#include "xcs/error.h"

namespace xcs::ir {
namespace {

/// The record {fields[i]: values[operands[i]]} of a call, record or output.
Record assemble(const Node &node, const std::vector<Value> &values) {
  Record record;
  record.reserve(node.fields.size());
  for (std::size_t i = 0; i < node.fields.size(); ++i)
    record.set(node.fields[i], values[node.operands[i]]);
  return record;
}

void check_arguments(const Module &module,
                     std::span<const OperatorPtr> operators,
                     const Record &input) {
  std::string graph = "graph @" + module.function.name + ": ";
  if (operators.size() < module.operators.size())
    throw InputError(graph + "the operator table has " +
                     std::to_string(module.operators.size()) +
                     " entries but only " + std::to_string(operators.size()) +
                     " operators were given");
  for (FieldId field : module.function.inputs)
    if (!input.contains(field))
      throw InputError(graph + "the input has no field '" +
                       std::string(field.name()) + "'");
}

} // namespace

Record interpret(const Module &module, std::span<const OperatorPtr> operators,
                 const Record &input) {
  check_arguments(module, operators, input);
  const std::vector<Node> &nodes = module.function.nodes;
  std::vector<Value> values(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Node &node = nodes[i];
    switch (node.opcode) {
    case Opcode::Input:
      values[i] = input.at(node.field);
      break;
    case Opcode::Const:
      values[i] = node.value;
      break;
    case Opcode::Call:
      values[i] = Value::record((*operators[node.op])(assemble(node, values)));
      break;
    case Opcode::Get:
      values[i] = node.path.at(values[node.operands.front()]);
      break;
    case Opcode::List: {
      std::vector<Value> items;
      items.reserve(node.operands.size());
      for (NodeIndex operand : node.operands)
        items.push_back(values[operand]);
      values[i] = Value::list(std::move(items));
      break;
    }
    case Opcode::Record:
      values[i] = Value::record(assemble(node, values));
      break;
    case Opcode::Output:
      return assemble(node, values);
    case Opcode::Check: {
      const Operator &op = *operators[node.op];
      op.spec().validate_kinds(op.name(), node.side, assemble(node, values));
      break;
    }
    }
  }
  throw InputError("graph @" + module.function.name + ": has no output node");
}

} // namespace xcs::ir
