//===- IR/passes.h - Transformations of the routing IR ----------*- C++ -*-===//
///
/// \file
/// Each pass takes a verified function and leaves it verified. Passes that
/// add, remove or renumber nodes drop any schedule and slots, which refer to
/// node numbers; run schedule() and assign_slots() last. docs/ir.md shows
/// each pass on an example.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"

#include <functional>

#include "llvm/Support/Error.h"

#include <string_view>
#include <vector>

namespace xcs::ir {

/// Removes input, const, get, list and record nodes whose values no call
/// and no output uses, directly or through other removed nodes. Calls are
/// never removed: a compiled plan never drops computation.
void eliminate_dead_nodes(Function &function);

/// Replaces each get that repeats an earlier get (same operand, same path)
/// and each input node that repeats an earlier one (same field) by the
/// earlier node, and removes it.
void merge_duplicate_gets(Function &function);

/// Moves every routing node (input, const, get, list, record) to right
/// after the last of its operands, keeping calls, checks and the output in
/// their order. Node order is the order of the eager call, which made its
/// calls in that order but may have evaluated a path anywhere between its
/// operand and its use; placed first, a failing path stops a serial run
/// before any call the eager call may not have reached (it may stop it
/// sooner than eager, and recovery makes the calls in between for real).
void order_routing_early(Function &function);

/// Builds the task DAG (Function::tasks): every call starts a task; every
/// other node joins the task of the latest node it depends on, or, when it
/// depends on several tasks none of which follows the others, starts a task
/// that joins them; nodes with no operands go to one root task. The output
/// is in no task. Then chains are fused: a task whose only successor has no
/// other predecessor absorbs it, unless a task with a call or a check lies
/// between them in node order. Tasks are numbered in a topological order,
/// each lists its nodes in node order, successors are sorted, and no edge is
/// implied by the others. Independent calls end up in different tasks, and
/// running the tasks in index order (a serial run) makes the calls and
/// checks in node order: the eager call's order. An asynchronous call is
/// the last node of its task, which suspends there until it completes.
void schedule(Function &function);

/// Gives each node its own frame slot, slot i for node i (dense, never
/// shared, so concurrently running tasks cannot clobber each other).
void assign_slots(Function &function);

/// Runs \p pass on every graph of \p module: each body, then the main one.
void for_each_graph(Module &module,
                    const std::function<void(Function &)> &pass);

/// eliminate_dead_nodes, merge_duplicate_gets, order_routing_early,
/// schedule, assign_slots.
void run_default_pipeline(Module &module);

/// The names run_pass() accepts, in pipeline order, then "default".
const std::vector<std::string_view> &pass_names();

/// Runs the pass named \p name ("eliminate-dead-nodes",
/// "merge-duplicate-gets", "schedule", "assign-slots" or "default" for the
/// pipeline). An unknown name is an error listing the known ones.
llvm::Error run_pass(Module &module, std::string_view name);

} // namespace xcs::ir
