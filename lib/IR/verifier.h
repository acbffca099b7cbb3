//===- IR/verifier.h - Checking a module's invariants -----------*- C++ -*-===//
///
/// \file
/// verify() checks everything the passes, the interpreter and code
/// generation rely on; they may assume a verified module. Errors start with
/// "graph @NAME: " and name the node ("node %3 (get): ..."), task or
/// operator at fault.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"

#include "llvm/Support/Error.h"

namespace xcs::ir {

/// Checks \p module, reporting the first violation:
///  - the graph name is a valid @name; operator arguments are null or a
///    record; declared inputs and outputs are each named once;
///  - every operand is an earlier node and each opcode has the operands and
///    fields it needs (get: one operand and a non-empty path; call, record,
///    output: one operand per field, fields distinct);
///  - input nodes read declared inputs; calls name operator table entries;
///  - exactly one output node, the last, writing each declared output once;
///  - when scheduled: every node but the output is in exactly one task,
///    successors exist and form a DAG, each join count is the number of
///    predecessor tasks, and each operand is computed earlier in the same
///    task or in a task that finishes before (a transitive predecessor);
///  - when slots are assigned: one slot per node, all distinct and below
///    slot_count, which equals the number of nodes (dense, no reuse, so any
///    schedule may run tasks concurrently).
llvm::Error verify(const Module &module);

} // namespace xcs::ir
