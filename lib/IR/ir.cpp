//===- ir.cpp - The routing IR --------------------------------------------===//

#include "IR/ir.h"

namespace xcs::ir {

std::string_view opcode_name(Opcode opcode) {
  switch (opcode) {
  case Opcode::Input:
    return "input";
  case Opcode::Const:
    return "const";
  case Opcode::Call:
    return "call";
  case Opcode::Get:
    return "get";
  case Opcode::List:
    return "list";
  case Opcode::Record:
    return "record";
  case Opcode::Output:
    return "output";
  case Opcode::Check:
    return "check";
  }
  return "unknown";
}

std::string value_name(NodeIndex index) { return "%" + std::to_string(index); }

std::string describe_node(const Function &function, NodeIndex index) {
  std::string text = "node " + value_name(index);
  if (index < function.nodes.size())
    text += " (" + std::string(opcode_name(function.nodes[index].opcode)) + ")";
  return text;
}

} // namespace xcs::ir
