//===- failed_run.cpp - What a failed run of a plan did -------------------===//

#include "JIT/failed_run.h"

#include "CodeGen/frame_layout.h"

#include "llvm/Support/ErrorHandling.h"

#include <optional>

namespace xcs {
namespace {

using Known = std::vector<std::optional<Value>>;

/// The record {fields[i]: values[operands[i]]} of \p node, or nullopt when
/// an operand's value is not known.
std::optional<Record> assemble(const ir::Node &node, const Known &values) {
  Record record;
  record.reserve(node.fields.size());
  for (std::size_t i = 0; i < node.fields.size(); ++i) {
    const std::optional<Value> &value = values[node.operands[i]];
    if (!value)
      return std::nullopt;
    record.set(node.fields[i], *value);
  }
  return record;
}

/// The value routing node \p node computed in the run, when its operands
/// are known; nullopt otherwise, or when it failed.
std::optional<Value> route(const ir::Node &node, const Known &values,
                           const Record &input) {
  switch (node.opcode) {
  case ir::Opcode::Input:
    return input.at(node.field);
  case ir::Opcode::Const:
    return node.value;
  case ir::Opcode::Get: {
    const std::optional<Value> &source = values[node.operands.front()];
    if (!source)
      return std::nullopt;
    try {
      return node.path.at(*source);
    } catch (...) {
      return std::nullopt;
    }
  }
  case ir::Opcode::List: {
    std::vector<Value> items;
    items.reserve(node.operands.size());
    for (ir::NodeIndex operand : node.operands) {
      if (!values[operand])
        return std::nullopt;
      items.push_back(*values[operand]);
    }
    return Value::list(std::move(items));
  }
  case ir::Opcode::Record:
    if (std::optional<Record> record = assemble(node, values))
      return Value::record(std::move(*record));
    return std::nullopt;
  case ir::Opcode::Call:
  case ir::Opcode::Check:
  case ir::Opcode::Output:
  case ir::Opcode::Cond:
  case ir::Opcode::Switch:
  case ir::Opcode::Fallback:
  case ir::Opcode::Repeat:
  case ir::Opcode::Map:
    return std::nullopt;
  }
  llvm_unreachable("a switch over every opcode");
}

} // namespace

FailedRun failed_run(const ir::Function &function, std::size_t operator_count,
                     runtime::Frame &frame) {
  codegen::FrameLayout layout = codegen::layout_frame(function);
  std::uint32_t failed = frame.failed_node();
  FailedRun run;
  run.called.assign(operator_count, false);
  std::vector<RunCall> &calls = run.calls;
  Known values(function.nodes.size());
  for (ir::NodeIndex i = 0; i < function.nodes.size(); ++i) {
    const ir::Node &node = function.nodes[i];
    // A structured node is one call of its structured operator: its slot
    // is filled only once the taken branch (or the loop) is done.
    if (!ir::returns_record(node.opcode)) {
      values[i] = route(node, values, frame.input());
      continue;
    }
    run.called[node.op] = true;
    runtime::RecordSlot &slot = frame.record(layout.record_slot[i]);
    if (!slot.filled() && i != failed)
      continue;
    // A call that started had all its operands.
    std::optional<Record> inputs = assemble(node, values);
    if (!inputs)
      continue;
    RunCall &call = calls.emplace_back();
    call.op = node.op;
    call.inputs = std::move(*inputs);
    if (slot.filled()) {
      call.outputs = slot.get();
      values[i] = Value::record(call.outputs);
    } else {
      call.error = frame.failure().error;
    }
  }
  return run;
}

} // namespace xcs
