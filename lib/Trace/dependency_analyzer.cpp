//===- dependency_analyzer.cpp - Field-level dependencies from stamps -----===//
//
// Every input of a node call is explained by the tracer's rule, so each value
// is one of: a stamped value (a path into the graph input or a call's
// outputs), a constant, or an unstamped list/record of such values. Stamps
// that point into a flattened composite's outputs are followed into what that
// composite returned, until they reach a node or the graph input.
//
//===----------------------------------------------------------------------===//

#include "xcs/graph_builder.h"

#include "Core/observation.h"
#include "xcs/error.h"

#include <algorithm>

namespace xcs {

DependencyAnalyzer::DependencyAnalyzer(const TracerContext &context,
                                       CallId root)
    : context_(context) {
  detail::ObservationPause pause;
  expand(root);
  // The root's own checks stay with the root: whatever runs the plan in its
  // place is an operator with the root's specification (JitOperator), and
  // validates the plan's input and result as the eager call does. A check
  // node for them would run that validation twice.
  std::erase_if(checks_, [&](const CheckPoint &check) {
    return check.composite == root;
  });
  for (CallId call : nodes_)
    for (const auto &[field, value] : context_.record(call).inputs)
      resolve(value, call, Path().field(field));
  for (const CheckPoint &check : checks_) {
    const TraceRecord &record = context_.record(check.composite);
    bool inputs = check.side == SpecSide::Inputs;
    for (FieldId field :
         inputs ? record.unchecked_inputs : record.unchecked_outputs)
      resolve(*(inputs ? record.inputs : record.outputs).find(field),
              check.composite, Path().field(field), check.side);
  }
  // The result is the root's outputs, wherever they came from: the root
  // node itself, or (flattened) whatever its glue routed there.
  for (const auto &[field, value] : context_.record(root).outputs)
    resolve_source(root, Path().field(field), 0, Path().field(field));
}

void DependencyAnalyzer::expand(CallId call) {
  const TraceRecord &record = context_.record(call);
  if (!record.flattenable()) {
    nodes_.push_back(call);
    return;
  }
  add_check(call, SpecSide::Inputs, record.unchecked_inputs);
  for (CallId child : record.children)
    expand(child);
  add_check(call, SpecSide::Outputs, record.unchecked_outputs);
}

void DependencyAnalyzer::add_check(CallId call, SpecSide side,
                                   const std::vector<FieldId> &fields) {
  if (!fields.empty())
    checks_.push_back({call, side, nodes_.size()});
}

bool DependencyAnalyzer::is_node(CallId call) const {
  return std::binary_search(nodes_.begin(), nodes_.end(), call);
}

void DependencyAnalyzer::resolve(const Value &value, CallId consumer,
                                 const Path &target,
                                 std::optional<SpecSide> check) {
  if (TracerContext::is_constant(value)) {
    constants_.push_back({consumer, target, value.with_stamp(0), check});
    return;
  }
  if (auto provenance = context_.provenance(value)) {
    resolve_source(provenance->call, provenance->path, consumer, target, check);
    return;
  }
  bool parts = (value.is_list() && !value.as_list().empty()) ||
               (value.is_record() && !value.as_record().empty());
  if (!parts) {
    // Unstamped and not built from parts: state of a StateDependency
    // composite, which its state signature covers.
    constants_.push_back({consumer, target, value, check});
    return;
  }
  if (value.is_list()) {
    auto items = value.as_list();
    for (std::size_t i = 0; i < items.size(); ++i)
      resolve(items[i], consumer, target.index(i), check);
    return;
  }
  for (const auto &[field, item] : value.as_record())
    resolve(item, consumer, target.field(field), check);
}

void DependencyAnalyzer::resolve_source(CallId producer, const Path &source,
                                        CallId consumer, const Path &target,
                                        std::optional<SpecSide> check) {
  if (producer == 0 || is_node(producer)) {
    dependencies_.push_back({producer, source, consumer, target, check});
    return;
  }
  // A flattened composite: follow the path into what its glue returned,
  // one step at a time, until a stamp or a constant says where it came from.
  const TraceRecord &composite = context_.record(producer);
  const Value *value = composite.outputs.find(source.steps().front().field);
  for (std::size_t i = 1; value; ++i) {
    Path rest = source.slice(i);
    if (auto provenance = context_.provenance(*value)) {
      resolve_source(provenance->call, provenance->path.append(rest), consumer,
                     target, check);
      return;
    }
    if (TracerContext::is_constant(*value) || rest.empty()) {
      value = rest.find(*value);
      if (value)
        resolve(*value, consumer, target, check);
      break;
    }
    value = rest.slice(0, 1).find(*value);
  }
  if (!value)
    throw GraphError("trace: output '" + source.to_string() + "' of '" +
                     composite.operator_name + "' (call " +
                     std::to_string(producer) + ") does not exist");
}

std::string node_id(CallId call) { return "n" + std::to_string(call); }

std::string check_node_id(CallId call, SpecSide side) {
  return node_id(call) + "." + std::string(side_name(side));
}

} // namespace xcs
