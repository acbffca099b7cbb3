//===- CodeGen/emitter.h - LLVM IR from the routing IR ----------*- C++ -*-===//
///
/// \file
/// Emits one LLVM module per scheduled graph:
///
///   <prefix>_task      i32 (ptr frame, i32 task), all tasks of the schedule
///                      in one function (a switch on the task index): runs
///                      the runtime helper of each of the task's nodes in
///                      order and returns 1 as soon as one fails, else 0.
///                      The gets of one field of a call that directly
///                      follow it in the task run within the call's helper.
///                      With runtime::serial_run set in the index, each
///                      task continues with the next in the entry's order
///                      and the last with the output.
///   <prefix>_output    i32 (ptr frame): builds the result record from the
///                      Output node, which is in no task; run it once every
///                      task is done.
///   <prefix>_entry     i32 (ptr frame): runs every task on the calling
///                      thread in a topological order of the task graph,
///                      then the output, returning early on failure: one
///                      serial run of the task function.
///   <prefix>_tasks     constant [T x { i32 join_count, i32 successor_count,
///                      ptr successors }], the task table the executor
///                      schedules from (runtime::TaskEntry).
///
/// The code holds no process address: it reaches values, operators,
/// constants and paths through the frame argument and small integer
/// indexes (see Runtime/runtime_abi.h and frame_layout.h), and calls the
/// runtime helpers by name. Every function is nounwind: helpers catch all
/// exceptions, so none unwinds through compiled frames.
///
/// The four are external and, like every name in the module, start with the
/// caller's prefix, which must be unique within the JITDylib the module is
/// linked into.
///
/// The routing IR must verify; the schedule is checked here (task_order.h).
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "Runtime/frame.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace xcs::codegen {

/// An emitted module and what running it needs.
struct EmittedModule {
  std::unique_ptr<llvm::Module> module;
  std::string entry_symbol;
  std::string task_symbol;
  std::string output_symbol;
  std::string tasks_symbol;
  std::size_t task_count = 0;
  runtime::FrameShape shape;
};

/// Emits \p scheduled, whose function must have been scheduled and given
/// slots. Fails, naming the function, when the schedule or the slots are
/// missing or inconsistent (a node in no task or in two, a slot out of
/// range, a cycle among tasks, join counts that do not match).
llvm::Expected<EmittedModule> emit(const ir::Module &scheduled,
                                   llvm::LLVMContext &context,
                                   llvm::StringRef prefix);

} // namespace xcs::codegen
