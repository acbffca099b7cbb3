//===- runtime_abi.cpp - What compiled code calls -------------------------===//

#include "Runtime/runtime_abi.h"

#include "Core/element_map.h"
#include "Core/timeline_hooks.h"
#include "Core/trace_hooks.h"
#include "IR/opcode.h"
#include "xcs/control_flow.h"
#include "xcs/error.h"

#include <bit>
#include <type_traits>
#include <utility>
#include <vector>

namespace xcs::runtime {
namespace {

static_assert(sizeof(FieldId) == sizeof(std::uint32_t) &&
                  std::is_trivially_copyable_v<FieldId>,
              "compiled code passes a FieldId as its index");

/// The FieldId whose index compiled code was given.
FieldId field_at(std::uint32_t index) { return std::bit_cast<FieldId>(index); }

/// What a failure is blamed on: the failing node's opcode, or an operator's
/// name.
std::string_view blamed(std::string_view what) { return what; }
std::string_view blamed(const Operator &what) { return what.name(); }

/// Runs \p body; an exception becomes the frame's failure at \p node, blamed
/// on \p what, and a nonzero status. An operator is named only on failure:
/// reading its name up front costs a call node about 4 instructions.
template <typename What, typename Body>
std::int32_t guarded(Frame *frame, std::uint32_t node, const What &what,
                     Body &&body) noexcept {
  try {
    std::forward<Body>(body)();
    return 0;
  } catch (...) {
    frame->fail(node, blamed(what), std::current_exception());
    return 1;
  }
}

/// The record compiled code names as `whole`, or null for no_whole_record.
const Record *whole_source(Frame *frame, std::uint32_t whole) {
  if (whole == no_whole_record)
    return nullptr;
  return whole == whole_input_record ? &frame->input()
                                     : &frame->record(whole).get();
}

/// The value of pair \p i of \p pairs: read from \p source when compiled
/// code named one (every pair's value was read from it under the pair's
/// field, which is therefore there), else from the pair's value slot.
const Value &operand(Frame *frame, const Record *source,
                     const std::uint32_t *pairs, std::uint32_t i) {
  return source ? *source->find(field_at(pairs[2 * i]))
                : frame->value(pairs[2 * i + 1]);
}

/// The record {field: value, ...} of \p n (field, slot) pairs, read as
/// operand() reads them. Compiled code sorts pairs by field, so each
/// insertion appends.
Record gather(Frame *frame, const Record *source, const std::uint32_t *pairs,
              std::uint32_t n) {
  Record record;
  record.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i)
    record.set(field_at(pairs[2 * i]), operand(frame, source, pairs, i));
  return record;
}

/// \p callee called on \p inputs, as Operator::operator() calls it but
/// without validating inputs the plan proved valid for \p node. A tracer,
/// which must see the call, gets the ordinary call. Inlined into both of
/// xcs_rt_call's calls: a call of its own costs about 13 instructions a
/// node. Its one return is of one named record, which GCC then builds in
/// the caller's slot; a second returned expression would cost a record
/// move, about 60 instructions.
[[gnu::always_inline]] inline Record call(Frame *frame, std::uint32_t node,
                                          const Operator &callee,
                                          const Record &inputs) {
  // A context current on this thread is a live one, so one load covers
  // both the tracer here and a trace's values arriving from elsewhere.
  // A tracer or a timeline (told the node that makes the call) hears of
  // it through Operator::operator().
  bool watched = detail::call_watchers.load(std::memory_order_relaxed) != 0;
  if (watched && detail::timeline_recording()) [[unlikely]]
    detail::current_node = node;
  bool trusted = frame->inputs_proven(node) && !watched;
  Record outputs = trusted ? callee.forward(inputs) : callee(inputs);
  if (trusted)
    callee.spec().validate_outputs(callee.name(), outputs);
  return outputs;
}

/// Records the failure of a get of \p field, which \p record lacks. Kept
/// out of line: it builds a message, the hot path only looks up.
[[gnu::cold, gnu::noinline]] std::int32_t fail_get(Frame *frame,
                                                   std::uint32_t node,
                                                   const Record &record,
                                                   FieldId field) noexcept {
  // The equivalent path lookup words the error, and throws since the field
  // is missing.
  return guarded(frame, node, ir::opcode_name(ir::Opcode::Get),
                 [&] { Path().field(field).at(record); });
}

/// Records the failure of \p check: \p value of \p field does not have
/// the kind it declares. Kept out of line like fail_get.
[[gnu::cold, gnu::noinline]] std::int32_t
fail_check(Frame *frame, const FieldCheck &check, FieldId field,
           const Value &value) noexcept {
  // The specification words the error, as the composite's validation would.
  const Operator &checked = *check.op;
  return guarded(frame, check.node, checked, [&] {
    checked.spec().validate_kind(checked.name(), check.side, field, value);
  });
}

/// Checks \p value of \p field against checked_fields[index].
std::int32_t check_field(Frame *frame, std::uint32_t index, FieldId field,
                         const Value &value) noexcept {
  const FieldCheck &check = frame->checked_field(index);
  if (check.spec && !check.spec->accepts(value)) [[unlikely]]
    return fail_check(frame, check, field, value);
  return 0;
}

/// One `reads` triple (runtime_abi.h) on \p record: slot <- the record's
/// field for get node \p node, or only the check that the field is there
/// with no_slot; with fused_check, the field's check after that.
std::int32_t read_field(Frame *frame, std::uint32_t node, const Record &record,
                        std::uint32_t field, std::uint32_t slot) noexcept {
  const Value *found = record.find(field_at(field));
  if (!found) [[unlikely]]
    return fail_get(frame, node & ~fused_check, record, field_at(field));
  if (node & fused_check)
    return check_field(frame, slot, field_at(field), *found);
  if (slot != no_slot)
    frame->value(slot) = *found;
  return 0;
}

/// Whether a node before call node \p node failed. The eager call never
/// reaches a call past its first failure, so neither does a run: a task
/// started for its earlier nodes (routing placed right after its operands)
/// stops at its first call past the failure instead of making it. The
/// frame already holds the failure, so the task only reports that it
/// stopped.
bool past_failure(const Frame *frame, std::uint32_t node) {
  return frame->failed_node() < node;
}

/// The structured node's input record: {pairs}, or `whole` when it has
/// just those fields.
Record input_record(Frame *frame, const BranchSite *site) {
  const Record *source = whole_source(frame, site->whole);
  std::uint32_t n = site->input_count;
  return source && source->size() == n ? *source
                                       : gather(frame, source, site->pairs, n);
}

/// The value of the structured node's selector field in its input record.
const Value &selector(Frame *frame, const BranchSite *site) {
  const Record *source = whole_source(frame, site->whole);
  for (std::uint32_t i = 0; i < site->input_count; ++i)
    if (site->pairs[2 * i] == site->selector)
      return operand(frame, source, site->pairs, i);
  // The verifier makes the selector one of the node's fields.
  throw Error("structured node: its selector is not one of its fields");
}

/// What \p branch takes of the structured node's input record
/// (control_flow::branch_input), gathered from its pairs.
Record share_of_input(Frame *frame, const BranchSite *site,
                      const Operator &branch) {
  const Record *source = whole_source(frame, site->whole);
  const Specification &spec = branch.spec();
  std::uint32_t n = site->input_count;
  if (spec.has_open_inputs())
    return source && source->size() == n ? *source
                                         : gather(frame, source, site->pairs, n);
  Record share;
  share.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i)
    if (FieldId field = field_at(site->pairs[2 * i]); spec.find_input(field))
      share.set(field, operand(frame, source, site->pairs, i));
  return share;
}

/// The record slot holding a fallback's or a repeat's input (BranchSite).
Record &scratch(Frame *frame, const BranchSite *site) {
  return frame->record(site->scratch_slot).get();
}

/// branches[branch] of \p site called on its share of \p input, filling
/// the node's record slot.
void call_branch(Frame *frame, const BranchSite *site, std::uint32_t branch,
                 const Record &input) {
  const Operator &taken = frame->op(site->branches[branch]);
  Record storage;
  const Record &share = control_flow::branch_view(taken, input, storage);
  frame->record(site->record_slot).fill([&] { return taken(share); });
}

} // namespace

extern "C" {

// Copying a Value cannot throw, so the helpers that only copy cannot fail.

std::int32_t xcs_rt_input(Frame *frame, std::uint32_t node, std::uint32_t field,
                          std::uint32_t slot) noexcept {
  frame->value(slot) = *frame->input().find(field_at(field));
  return 0;
}

std::int32_t xcs_rt_const(Frame *frame, std::uint32_t node,
                          std::uint32_t constant, std::uint32_t slot) noexcept {
  frame->value(slot) = frame->constant(constant);
  return 0;
}

std::int32_t xcs_rt_call(Frame *frame, std::uint32_t node,
                         const CallSite *site) noexcept {
  if (past_failure(frame, node)) [[unlikely]]
    return 1;
  const Operator &callee = frame->op(site->op);
  RecordSlot &slot = frame->record(site->record_slot);
  if (std::int32_t status = guarded(frame, node, callee, [&] {
        slot.fill([&] {
          const Record *source = whole_source(frame, site->whole);
          std::uint32_t n = site->input_count;
          if (source && source->size() == n)
            return call(frame, node, callee, *source);
          return call(frame, node, callee,
                      gather(frame, source, site->pairs, n));
        });
      }))
    return status;
  const Record &record = slot.get();
  const std::uint32_t *reads = site->reads;
  for (std::uint32_t i = 0, m = site->read_count; i < m; ++i)
    if (std::int32_t status = read_field(frame, reads[3 * i], record,
                                         reads[3 * i + 1], reads[3 * i + 2]))
      return status;
  return 0;
}

std::int32_t xcs_rt_call_async(Frame *frame, std::uint32_t node,
                               const CallSite *site) noexcept {
  if (past_failure(frame, node)) [[unlikely]]
    return 1;
  const Operator &callee = frame->op(site->op);
  std::int32_t status = guarded(frame, node, callee, [&] {
    const Record *source = whole_source(frame, site->whole);
    std::uint32_t n = site->input_count;
    Record inputs = source && source->size() == n
                        ? *source
                        : gather(frame, source, site->pairs, n);
    frame->async_calls().start(node, site->record_slot, site->box_slot,
                               callee, std::move(inputs));
  });
  return status != 0 ? status : suspended;
}

std::int32_t xcs_rt_box(Frame *frame, std::uint32_t node,
                        std::uint32_t record_slot,
                        std::uint32_t slot) noexcept {
  return guarded(frame, node, ir::opcode_name(ir::Opcode::Call), [&] {
    frame->value(slot) = Value::record(frame->record(record_slot).get());
  });
}

std::int32_t xcs_rt_get_field(Frame *frame, std::uint32_t node,
                              std::uint32_t record_slot, std::uint32_t field,
                              std::uint32_t slot) noexcept {
  return read_field(frame, node, frame->record(record_slot).get(), field, slot);
}

std::int32_t xcs_rt_get_record_path(Frame *frame, std::uint32_t node,
                                    std::uint32_t record_slot,
                                    std::uint32_t path,
                                    std::uint32_t slot) noexcept {
  return guarded(frame, node, ir::opcode_name(ir::Opcode::Get), [&] {
    frame->value(slot) = frame->path(path).at(frame->record(record_slot).get());
  });
}

std::int32_t xcs_rt_get_path(Frame *frame, std::uint32_t node,
                             std::uint32_t source_slot, std::uint32_t path,
                             std::uint32_t slot) noexcept {
  return guarded(frame, node, ir::opcode_name(ir::Opcode::Get), [&] {
    frame->value(slot) = frame->path(path).at(frame->value(source_slot));
  });
}

std::int32_t xcs_rt_list(Frame *frame, std::uint32_t node,
                         const std::uint32_t *slots, std::uint32_t n,
                         std::uint32_t slot) noexcept {
  return guarded(frame, node, ir::opcode_name(ir::Opcode::List), [&] {
    std::vector<Value> items;
    items.reserve(n);
    for (std::uint32_t i = 0; i < n; ++i)
      items.push_back(frame->value(slots[i]));
    frame->value(slot) = Value::list(std::move(items));
  });
}

std::int32_t xcs_rt_record(Frame *frame, std::uint32_t node,
                           const std::uint32_t *pairs, std::uint32_t n,
                           std::uint32_t slot) noexcept {
  return guarded(frame, node, ir::opcode_name(ir::Opcode::Record), [&] {
    frame->value(slot) = Value::record(gather(frame, nullptr, pairs, n));
  });
}

std::int32_t xcs_rt_check(Frame *frame, std::uint32_t node, std::uint32_t first,
                          const std::uint32_t *pairs, std::uint32_t n,
                          std::uint32_t whole) noexcept {
  const Record *source = whole_source(frame, whole);
  for (std::uint32_t i = 0; i < n; ++i)
    if (std::int32_t status =
            check_field(frame, first + i, field_at(pairs[2 * i]),
                        operand(frame, source, pairs, i)))
      return status;
  return 0;
}

std::int32_t xcs_rt_output(Frame *frame, std::uint32_t node,
                           const std::uint32_t *pairs, std::uint32_t n,
                           std::uint32_t whole) noexcept {
  return guarded(frame, node, ir::opcode_name(ir::Opcode::Output), [&] {
    const Record *source = whole_source(frame, whole);
    if (!source || source->size() != n)
      frame->output() = gather(frame, source, pairs, n);
    else
      frame->output() = *source;
  });
}

std::int32_t xcs_rt_validate(Frame *frame, std::uint32_t node,
                             const BranchSite *site) noexcept {
  if (past_failure(frame, node)) [[unlikely]]
    return 1;
  if (frame->inputs_proven(node))
    return 0;
  const Operator &op = frame->op(site->op);
  return guarded(frame, node, op, [&] {
    op.spec().validate_inputs(op.name(), input_record(frame, site));
  });
}

std::int32_t xcs_rt_enter(Frame *frame, std::uint32_t node,
                          const BranchSite *site) noexcept {
  if (past_failure(frame, node)) [[unlikely]]
    return 1;
  const Operator &op = frame->op(site->op);
  return guarded(frame, node, op, [&] {
    frame->record(site->scratch_slot).fill([&] {
      Record input = input_record(frame, site);
      if (!frame->inputs_proven(node))
        op.spec().validate_inputs(op.name(), input);
      return input;
    });
  });
}

std::int32_t xcs_rt_choose_cond(Frame *frame, std::uint32_t node,
                                const BranchSite *site) noexcept {
  std::uint32_t branch = 0;
  const Operator &op = frame->op(site->op);
  if (guarded(frame, node, op, [&] {
        branch = control_flow::cond_branch(op.name(), field_at(site->selector),
                                           selector(frame, site));
      }))
    return -1;
  return static_cast<std::int32_t>(branch);
}

std::int32_t xcs_rt_choose_switch(Frame *frame, std::uint32_t node,
                                  const BranchSite *site) noexcept {
  std::uint32_t branch = 0;
  const Operator &op = frame->op(site->op);
  if (guarded(frame, node, op, [&] {
        std::vector<const Value *> cases;
        cases.reserve(site->case_count);
        for (std::uint32_t i = 0; i < site->case_count; ++i)
          cases.push_back(&frame->constant(site->first_case + i));
        branch = control_flow::switch_branch(selector(frame, site), cases);
      }))
    return -1;
  return static_cast<std::int32_t>(branch);
}

std::int32_t xcs_rt_branch(Frame *frame, std::uint32_t node,
                           const BranchSite *site,
                           std::uint32_t branch) noexcept {
  const Operator &taken = frame->op(site->branches[branch]);
  bool tracing = detail::live_tracers.load(std::memory_order_relaxed) != 0;
  bool trusted = frame->branch_proven(node, branch) && !tracing;
  return guarded(frame, node, taken, [&] {
    frame->record(site->record_slot).fill([&] {
      Record share = share_of_input(frame, site, taken);
      if (!trusted)
        return taken(share);
      Record outputs = taken.forward(share);
      taken.spec().validate_outputs(taken.name(), outputs);
      return outputs;
    });
  });
}

std::int32_t xcs_rt_try(Frame *frame, std::uint32_t node,
                        const BranchSite *site) noexcept {
  try {
    call_branch(frame, site, 0, scratch(frame, site));
    return 0;
  } catch (...) {
    std::exception_ptr error = std::current_exception();
    const Operator &on_error = frame->op(site->branches[1]);
    return guarded(frame, node, on_error,
                   [&] {
                     // Built before the fill, which first empties the slot.
                     Record input = control_flow::with_error_fields(
                         on_error,
                         control_flow::branch_input(on_error,
                                                    scratch(frame, site)),
                         error);
                     frame->record(site->scratch_slot).fill(
                         [&] { return std::move(input); });
                   }) == 0
               ? caught
               : 1;
  }
}

std::int32_t xcs_rt_catch(Frame *frame, std::uint32_t node,
                          const BranchSite *site) noexcept {
  return guarded(frame, node, frame->op(site->branches[1]), [&] {
    call_branch(frame, site, 1, scratch(frame, site));
  });
}

std::int32_t xcs_rt_iterate(Frame *frame, std::uint32_t node,
                            const BranchSite *site,
                            std::uint32_t iteration) noexcept {
  const Operator &body = frame->op(site->branches[0]);
  bool over = false;
  std::int32_t status = guarded(frame, node, body, [&] {
    RecordSlot &slot = frame->record(site->scratch_slot);
    Record storage;
    const Record &input = control_flow::branch_view(body, slot.get(), storage);
    Record output = body(input);
    const Operator &op = frame->op(site->op);
    bool done = control_flow::loop_done(op.name(), field_at(site->selector),
                                        output);
    if (done || iteration + 1 == site->max_iterations) {
      frame->record(site->record_slot).fill([&] {
        return control_flow::loop_result(std::move(output), iteration + 1,
                                         !done);
      });
      over = true;
      return;
    }
    Record next = control_flow::next_loop_input(input, output);
    slot.fill([&] { return std::move(next); });
  });
  if (status != 0)
    return status;
  return over ? loop_done : 0;
}

std::int32_t xcs_rt_map(Frame *frame, std::uint32_t node,
                        const MapSite *site) noexcept {
  if (past_failure(frame, node)) [[unlikely]]
    return 1;
  const Operator &op = frame->op(site->op);
  return guarded(frame, node, op, [&] {
    const Record *source = whole_source(frame, site->whole);
    std::uint32_t n = site->input_count;
    Record input = source && source->size() == n
                       ? *source
                       : gather(frame, source, site->pairs, n);
    op.spec().validate_inputs(op.name(), input);
    std::vector<FieldId> mapped;
    for (std::uint32_t i = 0; i < site->mapped_count; ++i)
      mapped.push_back(field_at(site->mapped[i]));
    bool per_element = site->errors_field != no_errors_field;
    FieldId errors = per_element ? field_at(site->errors_field) : FieldId();
    std::vector<FieldId> outputs =
        element_map::element_outputs(op.spec(), per_element, errors);
    element_map::Mapping mapping{op.name(), mapped, outputs, per_element,
                                 errors};
    const Operator &body = frame->op(site->body);
    frame->record(site->record_slot).fill([&] {
      return element_map::map_operator(mapping, input, body, site->limit);
    });
  });
}

} // extern "C"

std::string_view helper_symbol(Helper helper) {
  switch (helper) {
#define XCS_RUNTIME_HELPER(Name, Symbol, Parameters)                           \
  case Helper::Name:                                                           \
    return #Symbol;
#include "Runtime/runtime_helpers.def"
  }
  return "unknown";
}

std::span<const RuntimeSymbol> runtime_symbols() {
  static const RuntimeSymbol symbols[] = {
#define XCS_RUNTIME_HELPER(Name, Symbol, Parameters)                           \
  {#Symbol, reinterpret_cast<const void *>(&Symbol)},
#include "Runtime/runtime_helpers.def"
  };
  return symbols;
}

} // namespace xcs::runtime
