//===- ir.cpp - The routing IR --------------------------------------------===//

#include "IR/ir.h"

namespace xcs::ir {

std::string value_name(NodeIndex index) { return "%" + std::to_string(index); }

std::string describe_node(const Function &function, NodeIndex index) {
  std::string text = "node " + value_name(index);
  if (index < function.nodes.size())
    text += " (" + std::string(opcode_name(function.nodes[index].opcode)) + ")";
  return text;
}

} // namespace xcs::ir
