//===- operator.cpp - The operator base -----------------------------------===//

#include "xcs/operator.h"

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

Record Operator::operator()(const Record &inputs) const {
  spec_.validate_inputs(name_, inputs);
  Record outputs = forward(inputs);
  spec_.validate_outputs(name_, outputs);
  return outputs;
}

StateDependency::~StateDependency() = default;
StructureDependency::~StructureDependency() = default;

} // namespace xcs
