//===- ir.cpp - The routing IR --------------------------------------------===//

#include "IR/ir.h"

namespace xcs::ir {

std::string value_name(NodeIndex index, const ValueNames *names) {
  if (names && index < names->size() && !(*names)[index].empty())
    return (*names)[index];
  return "%" + std::to_string(index);
}

std::string describe_node(const Function &function, NodeIndex index,
                          const ValueNames *names) {
  std::string text = "node " + value_name(index, names);
  if (index < function.nodes.size())
    text += " (" + std::string(opcode_name(function.nodes[index].opcode)) + ")";
  return text;
}

Module body_module(const Module &module, std::uint32_t body) {
  Module result;
  result.operators = module.operators;
  result.bodies.assign(module.bodies.begin(), module.bodies.begin() + body);
  result.function = module.bodies[body];
  return result;
}

} // namespace xcs::ir
