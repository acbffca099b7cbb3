//===- frame_layout.cpp - Where compiled code keeps values ----------------===//

#include "CodeGen/frame_layout.h"

#include <algorithm>

namespace xcs::codegen {
namespace {

bool is_call(const ir::Function &function, ir::NodeIndex index) {
  return function.nodes[index].opcode == ir::Opcode::Call;
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

/// Numbers the assigned slots of the nodes that write a value slot densely.
void number_value_slots(const ir::Function &function, FrameLayout &layout) {
  std::vector<std::uint32_t> dense(function.slot_count, FrameLayout::none);
  layout.value_slot.assign(function.nodes.size(), FrameLayout::none);
  for (ir::NodeIndex i = 0; i < function.nodes.size(); ++i) {
    ir::Opcode opcode = function.nodes[i].opcode;
    if (opcode == ir::Opcode::Output || opcode == ir::Opcode::Check ||
        (opcode == ir::Opcode::Call && !layout.boxed[i]))
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
  std::uint32_t constants = 0;
  std::uint32_t paths = 0;
  std::uint32_t checked_fields = 0;
  for (ir::NodeIndex i = 0; i < count; ++i) {
    const ir::Node &node = function.nodes[i];
    mark_whole_uses(function, node, layout);
    switch (node.opcode) {
    case ir::Opcode::Call:
      layout.record_slot[i] = layout.shape.record_slots++;
      break;
    case ir::Opcode::Const:
      layout.table_index[i] = constants++;
      break;
    case ir::Opcode::Get:
      layout.table_index[i] = paths++;
      break;
    case ir::Opcode::Check:
      layout.table_index[i] = checked_fields;
      checked_fields += node.fields.size();
      break;
    default:
      break;
    }
  }
  number_value_slots(function, layout);
  return layout;
}

SideTables collect_side_tables(const ir::Function &function) {
  SideTables tables;
  for (const ir::Node &node : function.nodes) {
    if (node.opcode == ir::Opcode::Const)
      tables.constants.push_back(node.value);
    else if (node.opcode == ir::Opcode::Get)
      tables.paths.push_back(node.path);
    else if (node.opcode == ir::Opcode::Check) {
      std::vector<FieldId> fields = node.fields;
      std::sort(fields.begin(), fields.end(),
                [](FieldId a, FieldId b) { return a.index() < b.index(); });
      for (FieldId field : fields)
        tables.checked_fields.push_back({node.op, node.side, field});
    }
  }
  return tables;
}

} // namespace xcs::codegen
