//===- frame_layout.cpp - Where compiled code keeps values ----------------===//

#include "CodeGen/frame_layout.h"

#include "Runtime/runtime_abi.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>

namespace xcs::codegen {
namespace {

static_assert(FrameLayout::none == runtime::no_slot,
              "compiled code passes a missing value slot as no_slot");

/// Whether node \p index has a record slot: a call or a structured node.
bool is_call(const ir::Function &function, ir::NodeIndex index) {
  return ir::returns_record(function.nodes[index].opcode);
}

/// Marks the calls that \p user takes whole: every operand, except the
/// source of a get that reads the record slot.
void mark_whole_uses(const ir::Function &function, const ir::Node &user,
                     FrameLayout &layout) {
  if (user.opcode == ir::Opcode::Get && reads_record(function, user))
    return;
  for (ir::NodeIndex operand : user.operands)
    if (is_call(function, operand))
      layout.boxed[operand] = true;
}

/// Where \p operand reads \p field whole from: the graph input, a call's
/// record slot, or nowhere.
std::uint32_t whole_source(const ir::Function &function,
                           const FrameLayout &layout, ir::NodeIndex operand,
                           FieldId field) {
  const ir::Node &node = function.nodes[operand];
  if (node.opcode == ir::Opcode::Input && node.field == field)
    return runtime::whole_input_record;
  if (node.opcode == ir::Opcode::Get && reads_field(function, node) &&
      node.path.steps()[0].field == field)
    return layout.record_slot[node.operands[0]];
  return runtime::no_whole_record;
}

/// The record all of \p node's operands read whole, if there is one.
std::uint32_t whole_record(const ir::Function &function,
                           const FrameLayout &layout, const ir::Node &node) {
  std::uint32_t source = runtime::no_whole_record;
  for (std::size_t i = 0; i < node.operands.size(); ++i) {
    std::uint32_t from =
        whole_source(function, layout, node.operands[i], node.fields[i]);
    if (from == runtime::no_whole_record || (i > 0 && from != source))
      return runtime::no_whole_record;
    source = from;
  }
  return source;
}

/// Whether node \p index needs a value slot, given \p read_by_slot: which
/// nodes some user reads from their value slot.
bool writes_value_slot(const ir::Function &function, const FrameLayout &layout,
                       const std::vector<bool> &read_by_slot,
                       ir::NodeIndex index) {
  switch (function.nodes[index].opcode) {
  case ir::Opcode::Output:
  case ir::Opcode::Check:
    return false;
  case ir::Opcode::Call:
  case ir::Opcode::Cond:
  case ir::Opcode::Switch:
  case ir::Opcode::Fallback:
  case ir::Opcode::Repeat:
  case ir::Opcode::Map:
    return layout.boxed[index];
  case ir::Opcode::Input:
  case ir::Opcode::Get:
    return read_by_slot[index];
  case ir::Opcode::Const:
  case ir::Opcode::List:
  case ir::Opcode::Record:
    return true;
  }
  llvm_unreachable("a switch over every opcode");
}

/// Numbers the assigned slots of the nodes that write a value slot densely.
void number_value_slots(const ir::Function &function, FrameLayout &layout) {
  std::vector<bool> read_by_slot(function.nodes.size(), false);
  for (ir::NodeIndex i = 0; i < function.nodes.size(); ++i)
    if (layout.whole[i] == runtime::no_whole_record)
      for (ir::NodeIndex operand : function.nodes[i].operands)
        read_by_slot[operand] = true;
  std::vector<std::uint32_t> dense(function.slot_count, FrameLayout::none);
  layout.value_slot.assign(function.nodes.size(), FrameLayout::none);
  for (ir::NodeIndex i = 0; i < function.nodes.size(); ++i) {
    if (!writes_value_slot(function, layout, read_by_slot, i))
      continue;
    std::uint32_t &slot = dense[function.slots[i]];
    if (slot == FrameLayout::none)
      slot = layout.shape.value_slots++;
    layout.value_slot[i] = slot;
  }
}

} // namespace

bool reads_record(const ir::Function &function, const ir::Node &get) {
  return is_call(function, get.operands[0]) && !get.path.empty() &&
         !get.path.steps().front().is_index();
}

bool reads_field(const ir::Function &function, const ir::Node &get) {
  return reads_record(function, get) && get.path.steps().size() == 1;
}

FrameLayout layout_frame(const ir::Function &function) {
  std::size_t count = function.nodes.size();
  FrameLayout layout;
  layout.record_slot.assign(count, FrameLayout::none);
  layout.boxed.assign(count, false);
  layout.table_index.assign(count, FrameLayout::none);
  layout.whole.assign(count, runtime::no_whole_record);
  std::uint32_t constants = 0;
  std::uint32_t paths = 0;
  std::uint32_t checked_fields = 0;
  for (ir::NodeIndex i = 0; i < count; ++i) {
    const ir::Node &node = function.nodes[i];
    mark_whole_uses(function, node, layout);
    // The helpers of calls, checks and the output take their fields as one
    // record, which may be a record they all read whole.
    switch (node.opcode) {
    case ir::Opcode::Call:
    case ir::Opcode::Map:
      layout.whole[i] = whole_record(function, layout, node);
      layout.record_slot[i] = layout.shape.record_slots++;
      break;
    case ir::Opcode::Switch:
      layout.table_index[i] = constants;
      constants += node.cases.size();
      [[fallthrough]];
    case ir::Opcode::Cond:
    case ir::Opcode::Fallback:
    case ir::Opcode::Repeat:
      // The result, then the node's scratch record (runtime::BranchSite).
      layout.whole[i] = whole_record(function, layout, node);
      layout.record_slot[i] = layout.shape.record_slots;
      layout.shape.record_slots += 2;
      break;
    case ir::Opcode::Check:
      layout.whole[i] = whole_record(function, layout, node);
      layout.table_index[i] = checked_fields;
      checked_fields += node.fields.size();
      break;
    case ir::Opcode::Output:
      layout.whole[i] = whole_record(function, layout, node);
      break;
    case ir::Opcode::Const:
      layout.table_index[i] = constants++;
      break;
    case ir::Opcode::Get:
      layout.table_index[i] = paths++;
      break;
    case ir::Opcode::Input:
    case ir::Opcode::List:
    case ir::Opcode::Record:
      break;
    }
  }
  number_value_slots(function, layout);
  // The output is the last node (task_order.h checks it).
  std::uint32_t output_whole =
      count ? layout.whole[count - 1] : runtime::no_whole_record;
  if (output_whole < layout.shape.record_slots)
    layout.shape.output_record = output_whole;
  return layout;
}

std::vector<FieldOperand> fields_by_index(const ir::Node &node) {
  std::vector<FieldOperand> fields;
  for (std::size_t i = 0; i < node.fields.size(); ++i)
    fields.push_back({node.fields[i], node.operands[i]});
  std::sort(fields.begin(), fields.end(),
            [](const FieldOperand &a, const FieldOperand &b) {
              return a.field.index() < b.field.index();
            });
  return fields;
}

SideTables collect_side_tables(const ir::Function &function) {
  SideTables tables;
  for (ir::NodeIndex i = 0; i < function.nodes.size(); ++i) {
    const ir::Node &node = function.nodes[i];
    if (node.opcode == ir::Opcode::Const)
      tables.constants.push_back(node.value);
    else if (node.opcode == ir::Opcode::Switch)
      tables.constants.insert(tables.constants.end(), node.cases.begin(),
                              node.cases.end());
    else if (node.opcode == ir::Opcode::Get)
      tables.paths.push_back(node.path);
    else if (node.opcode == ir::Opcode::Check)
      for (const FieldOperand &entry : fields_by_index(node))
        tables.checked_fields.push_back({i, node.op, node.side, entry.field});
  }
  return tables;
}

} // namespace xcs::codegen
