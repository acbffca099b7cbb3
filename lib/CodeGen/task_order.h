//===- CodeGen/task_order.h - Checking a schedule ---------------*- C++ -*-===//
///
/// \file
/// Code generation trusts the schedule to tell it which nodes run, in what
/// order, and into which slots they write. A wrong schedule would not fail
/// to compile; it would compute garbage. So before emitting, the schedule is
/// checked and turned into the order the entry function runs tasks in.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"

#include "llvm/Support/Error.h"

#include <cstdint>
#include <vector>

namespace xcs::codegen {

/// A topological order of \p function's tasks (ties by task index), after
/// checking that: there are tasks and slots; the last node is the Output
/// and is in no task (it runs once every task is done); every other node is
/// in exactly one task; every node has a slot below slot_count; successors exist and each task's
/// join_count is the number of tasks naming it as successor; the task graph
/// has no cycle; and run in that order, every node's operands are computed
/// before it.
llvm::Expected<std::vector<std::uint32_t>>
task_order(const ir::Function &function);

} // namespace xcs::codegen
