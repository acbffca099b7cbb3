//===- CodeGen/frame_layout.h - Where values live ---------------*- C++ -*-===//
///
/// \file
/// Decides, for a scheduled function, where each node's value lives in a
/// run's Frame (see Runtime/frame.h) and which table entry it reads:
///  - a call's result record lives in a record slot of its own (the n-th
///    call uses record slot n), and is boxed into a value slot only when
///    some node uses it whole rather than reading fields of it;
///  - a call, check or output node whose operands all read one record
///    whole, under their own field names (the graph input, or one call's
///    record slot), reads them from that record: `whole` in
///    Runtime/runtime_abi.h. When the output reads a call's record slot,
///    that slot is the shape's output_record: the call builds the result
///    record in place;
///  - every other node but the output and the checks, and every boxed call,
///    writes a value slot, except input nodes and gets of one field that
///    only such whole readers use: their values already sit in the record
///    they come from. The slots assign_slots() gave the nodes that write
///    one are numbered densely in order of first use, so nodes that share a
///    slot still do, and the others take no room in the frame;
///  - a structured node's result lives in a record slot like a call's, and
///    its scratch record (runtime::BranchSite) in the slot after it;
///  - const nodes read constants[n] in node order, a switch's case values
///    taking the next entries, one each; the n-th get node reads paths[n];
///  - a check node's fields, ordered by field index as its (field, slot)
///    pairs are, take consecutive entries of checked_fields, from its
///    table index on.
///
/// The constants and paths tables are filled per compiled graph, not per
/// compiled module: structurally identical graphs share machine code, but a
/// constant without an exact text form (an opaque object) must come from
/// the graph that holds it.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "Runtime/frame.h"

#include <cstdint>
#include <vector>

namespace xcs::codegen {

struct FrameLayout {
  /// Marks a node without a record slot or table entry.
  static constexpr std::uint32_t none = UINT32_MAX;

  runtime::FrameShape shape;
  /// Per node: the record slot of a call or a structured node (whose
  /// scratch record is the next one); none for other nodes.
  std::vector<std::uint32_t> record_slot;
  /// Per node: whether a call's record is also stored whole in its value
  /// slot.
  std::vector<bool> boxed;
  /// Per node: the value slot it writes; none for the output, the checks,
  /// calls that are not boxed, and inputs and gets only read whole.
  std::vector<std::uint32_t> value_slot;
  /// Per call, check and output node: the record its operands all read
  /// whole (runtime::whole_input_record or a record slot), or
  /// runtime::no_whole_record; no_whole_record for other nodes.
  std::vector<std::uint32_t> whole;
  /// Per node: the constants index of a const node (of a switch's first
  /// case value), the paths index of a
  /// get node, the first checked_fields index of a check node; none for
  /// other nodes.
  std::vector<std::uint32_t> table_index;
};

/// The layout of \p function, whose slots must have been assigned.
FrameLayout layout_frame(const ir::Function &function);

/// Whether get node \p get reads a field of its source's record slot
/// directly: its source is a call and its path starts with a field.
/// Otherwise it reads the source's value slot.
bool reads_record(const ir::Function &function, const ir::Node &get);

/// Whether get node \p get reads exactly one field of its source call's
/// record slot, the case with a helper of its own.
bool reads_field(const ir::Function &function, const ir::Node &get);

/// One of a node's fields and the operand that gives its value.
struct FieldOperand {
  FieldId field;
  ir::NodeIndex operand;
};

/// \p node's fields with their operands, ordered by field index (a
/// verified node names each field once): the order of every node's (field,
/// slot) pairs in compiled code and of a check node's entries in
/// checked_fields.
std::vector<FieldOperand> fields_by_index(const ir::Node &node);

/// A field a check node checks, in checked_fields order: the field of
/// side \p side of operator \p op's specification.
struct CheckedField {
  /// The check node.
  std::uint32_t node;
  std::uint32_t op;
  SpecSide side;
  FieldId field;
};

/// The constants, paths and checked fields a run of \p function reads, in
/// table order.
struct SideTables {
  std::vector<Value> constants;
  std::vector<Path> paths;
  std::vector<CheckedField> checked_fields;
};
SideTables collect_side_tables(const ir::Function &function);

} // namespace xcs::codegen
