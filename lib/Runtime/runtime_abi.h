//===- Runtime/runtime_abi.h - What compiled code calls ---------*- C++ -*-===//
///
/// \file
/// The interface between JIT-compiled graphs and the rest of XCS.
///
/// Compiled code calls the extern "C" helpers below, about one per node: a
/// call node also reads the fields that the get nodes right after it in its
/// task take from its record, and a call whose record is used whole is
/// boxed by a second helper. Every helper takes the
/// run's Frame and the node's index, returns 0 on success, and on failure
/// records the node and the exception in the frame and returns nonzero;
/// compiled code then returns at once. Helpers catch every exception, so no
/// exception ever unwinds through JIT-compiled frames, and they are bound to
/// compiled code by symbol name (runtime_symbols()), so compiled code holds
/// no process address.
///
/// A call's, a check's or the output's fields often all come from one
/// record that exists already: the graph input, or another call's result,
/// each read whole under its own name. Compiled code then names that record
/// (`whole`), and the helper reads the fields from it; a call or the output
/// takes the record itself when it has no other fields: what a hand-written
/// composition does when it passes one operator's result straight to the
/// next. An input or get node that only such readers use has no value slot:
/// compiled code does not copy it out (a get still fails when its field is
/// missing).
///
/// Arguments are small integers fixed at compile time:
///  - slot: a value slot (Frame::value), or for a call's result a record
///    slot (Frame::record); no_slot where a get only checks its field is
///    there;
///  - field: a FieldId's index. Field ids are never reused, so an index
///    baked into code stays valid for the life of the process;
///  - constant, path, op: indexes into the frame's tables.
/// Field/slot lists are constant arrays in the compiled module: `pairs`
/// holds n (field, value slot) pairs, `slots` holds n value slots, `reads`
/// holds m (get node, field, value slot) triples. A check node that follows
/// a call and reads the call's record whole is run by the call's helper
/// too: each of its fields is a triple (get node | fused_check, field,
/// checked_fields index), in the order of its table entries, where the get
/// node is the check's operand for the field. The helper fails that get
/// when the field is missing, else checks the field; the table entry names
/// the check node. That saves the check a helper call of its own, as the
/// composite's output check after the last call of a plan mostly is, and
/// a get read only by a one-field check right after it needs no triple of
/// its own.
///
/// The task table a compiled module exports is an array of TaskEntry, one
/// per task of the scheduled IR, for the executor to run tasks as their
/// predecessors finish.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Runtime/frame.h"

#include <cstdint>
#include <span>
#include <string_view>

namespace xcs::runtime {

/// A compiled entry or output function: runs its nodes on \p frame and
/// returns 0, or nonzero once a node has failed.
using TaskFunction = std::int32_t (*)(Frame *frame);
/// A compiled module's task function: runs the nodes of task \p task on
/// \p frame, with the same result (see also serial_run).
using TaskRunner = std::int32_t (*)(Frame *frame, std::uint32_t task);

/// What a call node's helper needs besides the frame and the node: a
/// constant of the compiled module, so that compiled code passes one
/// pointer rather than seven arguments (the last three on the stack).
/// Compiled code lays it out as the LLVM struct of XCS_CALL_SITE_MEMBERS'
/// types (CodeGen/abi_types.h), { i32, i32, i32, i32, i32, i32, ptr, ptr }.
struct CallSite {
  /// The operator's index in the operator table.
  std::uint32_t op;
  /// The record slot that receives the result.
  std::uint32_t record_slot;
  /// The record the inputs all read whole, or no_whole_record.
  std::uint32_t whole;
  /// How many (field, value slot) pairs `pairs` holds: the inputs.
  std::uint32_t input_count;
  /// How many triples `reads` holds.
  std::uint32_t read_count;
  /// An asynchronous call's value slot, into which its completion boxes
  /// the record when some node uses it whole, else no_slot. (A synchronous
  /// call leaves boxing to xcs_rt_box.)
  std::uint32_t box_slot;
  const std::uint32_t *pairs;
  const std::uint32_t *reads;
};
/// CallSite's members in declaration order: X(member) each.
#define XCS_CALL_SITE_MEMBERS(X)                                               \
  X(op) X(record_slot) X(whole) X(input_count) X(read_count) X(box_slot)       \
  X(pairs) X(reads)

/// What the helpers of a structured node (cond, switch, fallback, repeat)
/// need besides the frame and the node, a constant of the compiled module
/// laid out as the LLVM struct of XCS_BRANCH_SITE_MEMBERS' types.
struct BranchSite {
  /// The structured operator's index in the operator table: its
  /// specification validates the node's input record, its name is the one
  /// messages give.
  std::uint32_t op;
  /// The record slot that receives the result.
  std::uint32_t record_slot;
  /// A record slot of the node's own, used by a fallback (its input, then
  /// on_error's once the primary failed) and a repeat (the loop's current
  /// input).
  std::uint32_t scratch_slot;
  /// The record the inputs all read whole, or no_whole_record.
  std::uint32_t whole;
  /// How many (field, value slot) pairs `pairs` holds: the inputs.
  std::uint32_t input_count;
  /// The field chosen by (cond, switch) or that ends the loop (repeat).
  std::uint32_t selector;
  /// A switch's case values: constants[first_case], ... (case_count).
  std::uint32_t first_case;
  std::uint32_t case_count;
  /// A repeat's bound on the body's runs.
  std::uint32_t max_iterations;
  const std::uint32_t *pairs;
  /// The branches' operator table indexes.
  const std::uint32_t *branches;
};
/// BranchSite's members in declaration order: X(member) each.
#define XCS_BRANCH_SITE_MEMBERS(X)                                             \
  X(op) X(record_slot) X(scratch_slot) X(whole) X(input_count) X(selector)     \
  X(first_case) X(case_count) X(max_iterations) X(pairs) X(branches)

/// What a map node's helper needs besides the frame and the node, a
/// constant of the compiled module laid out as the LLVM struct of
/// XCS_MAP_SITE_MEMBERS' types.
struct MapSite {
  /// The mapped operator's index in the operator table: its specification
  /// validates the node's input record, its name is the one messages give.
  std::uint32_t op;
  /// The body's index in the frame's operators: the operator table's
  /// entries come first, then one operator per body graph, which runs the
  /// body's compiled plan (JIT/compiled_graph.h).
  std::uint32_t body;
  /// The record slot that receives the result.
  std::uint32_t record_slot;
  /// The record the inputs all read whole, or no_whole_record.
  std::uint32_t whole;
  /// How many (field, value slot) pairs `pairs` holds: the inputs.
  std::uint32_t input_count;
  /// How many fields `mapped` holds.
  std::uint32_t mapped_count;
  /// With per-element outcomes, the errors field; else no_errors_field.
  std::uint32_t errors_field;
  /// At most this many elements at once; 0 for no bound.
  std::uint32_t limit;
  const std::uint32_t *pairs;
  /// The mapped fields.
  const std::uint32_t *mapped;
};
/// MapSite's members in declaration order: X(member) each.
#define XCS_MAP_SITE_MEMBERS(X)                                                \
  X(op) X(body) X(record_slot) X(whole) X(input_count) X(mapped_count)         \
  X(errors_field) X(limit) X(pairs) X(mapped)

/// MapSite::errors_field of a map without per-element outcomes.
inline constexpr std::uint32_t no_errors_field = UINT32_MAX;

/// One entry of a compiled module's task table. Compiled code lays it out
/// as the LLVM struct of XCS_TASK_ENTRY_MEMBERS' types, { i32, i32, ptr }.
struct TaskEntry {
  /// How many tasks must finish before this one may start.
  std::uint32_t join_count;
  std::uint32_t successor_count;
  /// Indexes of the tasks that may start once this one is done.
  const std::uint32_t *successors;
};
/// TaskEntry's members in declaration order: X(member) each.
#define XCS_TASK_ENTRY_MEMBERS(X) X(join_count) X(successor_count) X(successors)

/// A helper's name as compiled code refers to it, and its address.
struct RuntimeSymbol {
  std::string_view name;
  const void *address;
};

/// Every helper compiled code may call.
std::span<const RuntimeSymbol> runtime_symbols();

/// Set in the task index given to a TaskRunner: run that task and every
/// task after it in the order the entry runs them, then the output, as the
/// entry does from the first task.
inline constexpr std::uint32_t serial_run = 1u << 31;

/// What a task (and xcs_rt_call_async) returns when it ended at an
/// asynchronous call that has not completed: the task is not finished;
/// the call's completion finishes it.
inline constexpr std::int32_t suspended = 2;

/// What xcs_rt_try returns when the primary threw and on_error must run,
/// and xcs_rt_iterate when the loop is over.
inline constexpr std::int32_t caught = 2;
inline constexpr std::int32_t loop_done = 2;

/// `whole` arguments: no record to reuse, the graph input, or else a
/// record slot.
inline constexpr std::uint32_t no_whole_record = UINT32_MAX;
inline constexpr std::uint32_t whole_input_record = UINT32_MAX - 1;

/// The value slot of a node that has none.
inline constexpr std::uint32_t no_slot = UINT32_MAX;

/// Set in the node of a `reads` triple that checks a field (see above).
inline constexpr std::uint32_t fused_check = 1u << 31;

/// The helpers (runtime_helpers.def), one enumerator each.
enum class Helper {
#define XCS_RUNTIME_HELPER(Name, Symbol, Parameters) Name,
#include "Runtime/runtime_helpers.def"
};

/// The symbol compiled code calls helper \p helper by.
std::string_view helper_symbol(Helper helper);

/// What each helper does (declared from runtime_helpers.def):
///  - xcs_rt_input: slot <- the input record's \p field. The graph's inputs
///    are checked before a run starts, so the field is present.
///  - xcs_rt_const: slot <- constants[constant].
///  - xcs_rt_call: with the fields of \p site: record slot <-
///    operators[op]({pairs}), passing record `whole` instead when it has
///    just those fields; then, for each read, slot <- the record's field,
///    as xcs_rt_get_field does for that get node, or the field's check as
///    xcs_rt_check does it. Saves a helper call per field read, the
///    commonest node after a call.
///  - xcs_rt_call_async: starts operators[op]({pairs}) (or `whole`) as an
///    asynchronous call (xcs/async.h) through the frame's AsyncRuns, which
///    stores the result in the record slot when the call completes and
///    then finishes the node's task. Returns `suspended`: the task, whose
///    last node this is, ends without finishing. The site has no reads.
///  - xcs_rt_box: slot <- the record in record_slot, as a value.
///  - xcs_rt_get_field: slot <- the record in record_slot's \p field; with
///    no_slot, only fails when there is no such field.
///  - xcs_rt_get_record_path: slot <- paths[path] inside the record in
///    record_slot.
///  - xcs_rt_get_path: slot <- paths[path] inside the value in source_slot.
///  - xcs_rt_list: slot <- [slots...].
///  - xcs_rt_record: slot <- {pairs}.
///  - xcs_rt_check: checks the kinds of {pairs} (read from record `whole`
///    if there is one) against checked_fields[first], ... .
///  - xcs_rt_output: the frame's output <- {pairs}, or record `whole` when
///    it has just those fields. Compiled code does not call it when `whole`
///    is the record slot bound to the output (FrameShape::output_record):
///    the call built the output there, and the run keeps just the output's
///    fields of it.
///
/// A structured node's helpers (docs/ir.md, "Structured nodes"): compiled
/// code branches on what they return, so that only the taken branch runs.
/// The node's input record is {pairs} (or `whole`).
///  - xcs_rt_validate: validates the input record as the structured
///    operator's input, unless the plan proved it (a cond or a switch).
///  - xcs_rt_enter: the same, and scratch slot <- the input record (a
///    fallback or a repeat, which come back to it).
///  - xcs_rt_choose_cond, xcs_rt_choose_switch: the branch to take, by the
///    input's selector field (control_flow::cond_branch, switch_branch),
///    or -1 once the node failed (a predicate that is not a bool).
///  - xcs_rt_branch: record slot <- branches[branch] called on its share
///    of the input record, taken from {pairs} without building the whole.
///  - xcs_rt_try: record slot <- branches[0] (the primary) on its share of
///    the scratch slot; when it throws, scratch slot <- on_error's input
///    with the error fields, and returns `caught`; 1 only when the run had
///    already failed or that input cannot be made.
///  - xcs_rt_catch: record slot <- branches[1] on the scratch slot.
///  - xcs_rt_iterate: runs the body once (its \p iteration-th run, from 0)
///    on its share of the scratch slot. Returns `loop_done` with the
///    result in the record slot when the done field is true or the bound
///    is reached, else 0 with the next input in the scratch slot.
///
/// A map node's helper (docs/ir.md, "Map nodes"):
///  - xcs_rt_map: record slot <- the mapped call on {pairs} (or `whole`):
///    validated as the mapped operator's input, then the body operator on
///    every element, concurrently on up to `limit` (else up to 64)
///    threads, the result assembled as Core/element_map.h says, which the
///    interpreter and xcs::vmap say too.
extern "C" {
#define XCS_RUNTIME_HELPER(Name, Symbol, Parameters)                           \
  std::int32_t Symbol Parameters noexcept;
#include "Runtime/runtime_helpers.def"
} // extern "C"

} // namespace xcs::runtime
