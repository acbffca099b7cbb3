//===- operator.cpp - The operator base -----------------------------------===//

#include "xcs/operator.h"

#include "Core/call_observer.h"
#include "Core/mapped_operator.h"
#include "Core/timeline_hooks.h"
#include "Core/trace_hooks.h"

#include <atomic>
#include <exception>
#include <optional>
#include <utility>

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
  if (detail::call_watchers.load(std::memory_order_relaxed) != 0) [[unlikely]]
    return watched_call(inputs);
  return checked_call(inputs);
}

Record Operator::watched_call(const Record &inputs) const {
  std::uint32_t node = std::exchange(detail::current_node, detail::no_node);
  if (detail::live_tracers.load(std::memory_order_relaxed) != 0)
    detail::check_untracked_call(*this, inputs);
  if (!detail::timeline_recording())
    return checked_call(inputs);
  detail::CallSpan span = detail::begin_span(*this, node, /*async=*/false);
  std::optional<Record> outputs;
  std::exception_ptr error;
  try {
    outputs = checked_call(inputs);
  } catch (...) {
    error = std::current_exception();
  }
  span.end = detail::TimelineClock::now();
  span.failed = error != nullptr;
  detail::report_call(std::move(span));
  if (error)
    std::rethrow_exception(std::move(error));
  return std::move(*outputs);
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

MappedOperator::~MappedOperator() = default;

std::atomic<detail::VmapFactory> detail::vmap_factory{nullptr};

std::vector<FieldDependency>
every_output_from_every_input(const Specification &spec) {
  std::vector<FieldId> inputs;
  for (const FieldSpec &field : spec.inputs())
    inputs.push_back(field.id);
  std::vector<FieldDependency> dependencies;
  for (const FieldSpec &field : spec.outputs())
    dependencies.push_back({field.id, inputs});
  return dependencies;
}

} // namespace xcs
