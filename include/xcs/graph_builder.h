//===- xcs/graph_builder.h - From a trace to a graph ------------*- C++ -*-===//
///
/// \file
/// DependencyAnalyzer reads a trace's provenance stamps and produces
/// field-level dependencies between the calls that become graph nodes: the
/// leaves and the opaque composites under the root, with every flattenable
/// composite's glue looked through. AutoGraphBuilder turns them into an
/// XCSGraph.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/graph.h"
#include "xcs/trace.h"

#include <optional>
#include <string>
#include <vector>

namespace xcs {

/// Producer output path -> consumer input path. Producer 0 is the graph
/// input; consumer 0 is the graph output. With check set, the consumer is
/// the check of that side of composite call `consumer`.
struct Dependency {
  CallId producer = 0;
  Path source;
  CallId consumer = 0;
  Path target;
  std::optional<SpecSide> check;
};

/// A trace-time constant placed at \p target of \p consumer's inputs
/// (consumer 0 is the graph output; check as in Dependency).
struct ConstantDependency {
  CallId consumer = 0;
  Path target;
  Value value;
  std::optional<SpecSide> check;
};

/// Where a flattened composite's validation would have checked kinds the
/// trace cannot prove (TraceRecord::unchecked_inputs/outputs): before the
/// node at \p position of DependencyAnalyzer::nodes() (or after the last
/// one), which is where the eager call checks them. The root has none: a
/// graph computes the root's forward, and the operator that runs its plan
/// validates the root's input and result around it.
struct CheckPoint {
  CallId composite = 0;
  SpecSide side = SpecSide::Outputs;
  std::size_t position = 0;
};

class DependencyAnalyzer {
public:
  /// Analyzes the calls under \p root of \p context.
  DependencyAnalyzer(const TracerContext &context, CallId root);

  /// The calls that become nodes, in call order.
  const std::vector<CallId> &nodes() const { return nodes_; }
  /// The checks, in the order they come among the nodes.
  const std::vector<CheckPoint> &checks() const { return checks_; }
  const std::vector<Dependency> &dependencies() const { return dependencies_; }
  const std::vector<ConstantDependency> &constants() const {
    return constants_;
  }

private:
  void expand(CallId call);
  /// Adds a check point for \p fields of \p call's \p side, if any.
  void add_check(CallId call, SpecSide side,
                 const std::vector<FieldId> &fields);
  void resolve(const Value &value, CallId consumer, const Path &target,
               std::optional<SpecSide> check = std::nullopt);
  void resolve_source(CallId producer, const Path &source, CallId consumer,
                      const Path &target,
                      std::optional<SpecSide> check = std::nullopt);
  bool is_node(CallId call) const;

  const TracerContext &context_;
  std::vector<CallId> nodes_;
  std::vector<CheckPoint> checks_;
  std::vector<Dependency> dependencies_;
  std::vector<ConstantDependency> constants_;
};

class AutoGraphBuilder {
public:
  /// Builds the graph of \p trace named \p name. The graph computes the
  /// root's forward: the root's own validation of its input and result is
  /// left to the operator that runs the graph in the root's place. GraphError
  /// naming the graph when an operator of the trace no longer exists or is not
  /// owned by a std::shared_ptr (graph nodes hold their operators).
  XCSGraph build(const Trace &trace, std::string name) const;
  XCSGraph build(const TracerContext &context, CallId root,
                 std::string name) const;
};

/// The id of the node made from call \p call: "n<call>".
std::string node_id(CallId call);
/// The id of the check of \p side of composite call \p call:
/// "n<call>.inputs" or "n<call>.outputs".
std::string check_node_id(CallId call, SpecSide side);

} // namespace xcs
