//===- operator.cpp - The operator base -----------------------------------===//

#include "xcs/operator.h"

#include "Core/call_observer.h"
#include "Core/trace_hooks.h"

#include <atomic>

namespace xcs {
namespace {

/// Identities start at 1 and only grow: 0 means "no operator", and an id is
/// never handed out twice in one process.
OperatorId next_operator_id() {
  static std::atomic<OperatorId> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

} // namespace

Operator::Operator(std::string name, Specification spec)
    : id_(next_operator_id()), name_(std::move(name)), spec_(std::move(spec)) {}

Operator::~Operator() = default;

// Inlined into both callers: the unobserved path pays for no extra call.
[[gnu::always_inline]] inline Record
Operator::checked_call(const Record &inputs) const {
  spec_.validate_inputs(name_, inputs);
  Record outputs = forward(inputs);
  spec_.validate_outputs(name_, outputs);
  return outputs;
}

Record Operator::operator()(const Record &inputs) const {
  if (detail::CallObserver *observer = detail::current_observer) [[unlikely]]
    return observer->observe(*this, inputs);
  if (detail::live_tracers.load(std::memory_order_relaxed) != 0) [[unlikely]]
    detail::check_untracked_call(*this, inputs);
  return checked_call(inputs);
}

namespace detail {

constinit thread_local CallObserver *current_observer = nullptr;

CallObserver::~CallObserver() = default;

Record CallObserver::run(const Operator &op, const Record &inputs) {
  return op.checked_call(inputs);
}

} // namespace detail

StateDependency::~StateDependency() = default;
StructureDependency::~StructureDependency() = default;
Composite::~Composite() = default;

Registrable::~Registrable() = default;

} // namespace xcs
