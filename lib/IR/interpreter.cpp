//===- interpreter.cpp - Reference execution of the routing IR ------------===//

#include "IR/interpreter.h"

#include "Core/element_map.h"
#include "xcs/control_flow.h"
#include "xcs/error.h"

#include "llvm/Support/ErrorHandling.h"

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

void check_inputs(const Function &function, const Record &input) {
  for (FieldId field : function.inputs)
    if (!input.contains(field))
      throw InputError("graph @" + function.name + ": the input has no field '" +
                       std::string(field.name()) + "'");
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
  check_inputs(module.function, input);
}

/// Calls branch \p branch of structured node \p node on its share of
/// \p input.
Record call_branch(const Node &node, std::span<const OperatorPtr> operators,
                   std::uint32_t branch, const Record &input) {
  const Operator &taken = *operators[node.branches[branch]];
  return taken(control_flow::branch_input(taken, input));
}

/// What structured node \p node computes on its input record \p input:
/// validated as its operator's input, then only the chosen branch runs.
Record run_structured(const Node &node, std::span<const OperatorPtr> operators,
                      const Record &input) {
  namespace cf = control_flow;
  const Operator &op = *operators[node.op];
  op.spec().validate_inputs(op.name(), input);
  switch (node.opcode) {
  case Opcode::Cond:
    return call_branch(
        node, operators,
        cf::cond_branch(op.name(), node.field, input.at(node.field)), input);
  case Opcode::Switch: {
    std::vector<const Value *> cases;
    for (const Value &value : node.cases)
      cases.push_back(&value);
    return call_branch(node, operators,
                       cf::switch_branch(input.at(node.field), cases), input);
  }
  case Opcode::Fallback: {
    std::exception_ptr error;
    try {
      return call_branch(node, operators, 0, input);
    } catch (...) {
      error = std::current_exception();
    }
    const Operator &on_error = *operators[node.branches[1]];
    return call_branch(
        node, operators, 1,
        cf::with_error_fields(on_error, cf::branch_input(on_error, input),
                              error));
  }
  case Opcode::Repeat: {
    Record current = cf::branch_input(*operators[node.branches[0]], input);
    for (std::uint32_t iteration = 1;; ++iteration) {
      Record output = call_branch(node, operators, 0, current);
      bool done = cf::loop_done(op.name(), node.field, output);
      if (done || iteration == node.max_iterations)
        return cf::loop_result(std::move(output), iteration, !done);
      current = cf::next_loop_input(current, output);
    }
  }
  case Opcode::Input:
  case Opcode::Const:
  case Opcode::Call:
  case Opcode::Get:
  case Opcode::List:
  case Opcode::Record:
  case Opcode::Output:
  case Opcode::Check:
  case Opcode::Map:
    break;
  }
  llvm_unreachable("run_structured is only called on structured nodes");
}

Record run_function(const Module &module, const Function &function,
                    std::span<const OperatorPtr> operators, const Record &input);

/// What map node \p node computes on its input record \p input: validated
/// as the mapped operator's input, then its body on each element, one
/// after another (the oracle runs on one thread), as element_map says.
Record run_map(const Module &module, const Node &node,
               std::span<const OperatorPtr> operators, const Record &input) {
  const Operator &op = *operators[node.op];
  op.spec().validate_inputs(op.name(), input);
  std::vector<FieldId> outputs =
      element_map::element_outputs(op.spec(), node.per_element, node.field);
  element_map::Mapping mapping{op.name(), node.mapped, outputs,
                               node.per_element, node.field};
  const Function &body = module.bodies[node.body];
  return element_map::map_call(
      mapping, input,
      [&](const Record &element) {
        check_inputs(body, element);
        return run_function(module, body, operators, element);
      },
      1);
}

Record run_function(const Module &module, const Function &function,
                    std::span<const OperatorPtr> operators,
                    const Record &input) {
  const std::vector<Node> &nodes = function.nodes;
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
    case Opcode::Cond:
    case Opcode::Switch:
    case Opcode::Fallback:
    case Opcode::Repeat:
      values[i] = Value::record(
          run_structured(node, operators, assemble(node, values)));
      break;
    case Opcode::Map:
      values[i] = Value::record(
          run_map(module, node, operators, assemble(node, values)));
      break;
    }
  }
  throw InputError("graph @" + function.name + ": has no output node");
}

} // namespace

Record interpret(const Module &module, std::span<const OperatorPtr> operators,
                 const Record &input) {
  check_arguments(module, operators, input);
  return run_function(module, module.function, operators, input);
}

} // namespace xcs::ir
