//===- IR/opcode.h - The node kinds of the routing IR -----------*- C++ -*-===//
///
/// \file
/// The opcodes and what the passes ask about them, all derived from the one
/// list in opcodes.def, whose header documents each property. Code that
/// does different work per opcode switches over Opcode with every case
/// listed and no `default:`, so the compiler warns (-Wswitch) wherever a new
/// opcode needs a decision; code that asks a property asks it here.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace xcs::ir {

enum class Opcode {
#define XCS_OPCODE(Name, Keyword, Operands, Named, Task, Live, Op, Branches) Name,
#include "IR/opcodes.def"
};

/// Every opcode, in enum order.
inline constexpr Opcode all_opcodes[] = {
#define XCS_OPCODE(Name, Keyword, Operands, Named, Task, Live, Op, Branches) Opcode::Name,
#include "IR/opcodes.def"
};

/// How a node holds its operands (the Operands column of opcodes.def).
enum class OperandShape {
  None,  ///< No operands.
  One,   ///< Exactly one, operands[0].
  Any,   ///< Any number, in order.
  Fields ///< fields[i] <- operands[i], one operand per field, fields distinct.
};

namespace detail {

struct OpcodeInfo {
  std::string_view keyword;
  OperandShape operands;
  bool named;
  bool starts_task;
  bool always_live;
  bool uses_operator;
  bool has_branches;
};

/// Indexed by Opcode: the enum and this array come from the same list.
inline constexpr OpcodeInfo opcode_info[] = {
#define XCS_OPCODE(Name, Keyword, Operands, Named, Task, Live, Op, Branches)             \
  {Keyword, OperandShape::Operands, Named, Task, Live, Op, Branches},
#include "IR/opcodes.def"
};

constexpr const OpcodeInfo &info(Opcode opcode) {
  return opcode_info[static_cast<std::size_t>(opcode)];
}

} // namespace detail

/// The keyword of the text form: "input", "const", "call", ...
constexpr std::string_view opcode_name(Opcode opcode) {
  return detail::info(opcode).keyword;
}

/// The opcode whose keyword is \p keyword, if any.
constexpr std::optional<Opcode> opcode_for_keyword(std::string_view keyword) {
  for (Opcode opcode : all_opcodes)
    if (opcode_name(opcode) == keyword)
      return opcode;
  return std::nullopt;
}

/// How a node of \p opcode holds its operands.
constexpr OperandShape operand_shape(Opcode opcode) {
  return detail::info(opcode).operands;
}

/// Whether a node of \p opcode is named in the text (`%N = keyword ...`);
/// only the output is not.
constexpr bool is_named(Opcode opcode) { return detail::info(opcode).named; }

/// Whether schedule() gives a node of \p opcode a task of its own: it may
/// fail or act, so it runs in the eager call's order.
constexpr bool starts_task(Opcode opcode) {
  return detail::info(opcode).starts_task;
}

/// Whether passes keep a node of \p opcode, in its place, though nothing
/// uses its value.
constexpr bool always_live(Opcode opcode) {
  return detail::info(opcode).always_live;
}

/// Whether a node of \p opcode names an operator table entry in `op`.
constexpr bool uses_operator(Opcode opcode) {
  return detail::info(opcode).uses_operator;
}

/// Whether a node of \p opcode is a structured node: it calls one of the
/// operator table entries in `branches` on its input record, and its value
/// is that call's result record.
constexpr bool has_branches(Opcode opcode) {
  return detail::info(opcode).has_branches;
}

/// Whether a node of \p opcode has an operator's result record as its
/// value: a call, a structured node or a map. Gets of its fields read that
/// record.
constexpr bool returns_record(Opcode opcode) {
  return opcode == Opcode::Call || opcode == Opcode::Map ||
         has_branches(opcode);
}

} // namespace xcs::ir
