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

#include <string>
#include <vector>

namespace xcs {

/// Producer output path -> consumer input path. Producer 0 is the graph
/// input; consumer 0 is the graph output.
struct Dependency {
  CallId producer = 0;
  Path source;
  CallId consumer = 0;
  Path target;
};

/// A trace-time constant placed at \p target of \p consumer's inputs
/// (consumer 0 is the graph output).
struct ConstantDependency {
  CallId consumer = 0;
  Path target;
  Value value;
};

class DependencyAnalyzer {
public:
  /// Analyzes the calls under \p root of \p context.
  DependencyAnalyzer(const TracerContext &context, CallId root);

  /// The calls that become nodes, in call order.
  const std::vector<CallId> &nodes() const { return nodes_; }
  const std::vector<Dependency> &dependencies() const { return dependencies_; }
  const std::vector<ConstantDependency> &constants() const {
    return constants_;
  }

private:
  void expand(CallId call);
  void resolve(const Value &value, CallId consumer, const Path &target);
  void resolve_source(CallId producer, const Path &source, CallId consumer,
                      const Path &target);
  bool is_node(CallId call) const;

  const TracerContext &context_;
  std::vector<CallId> nodes_;
  std::vector<Dependency> dependencies_;
  std::vector<ConstantDependency> constants_;
};

class AutoGraphBuilder {
public:
  /// Builds the graph of \p trace named \p name. GraphError naming the graph
  /// when an operator of the trace no longer exists or is not owned by a
  /// std::shared_ptr (graph nodes hold their operators).
  XCSGraph build(const Trace &trace, std::string name) const;
  XCSGraph build(const TracerContext &context, CallId root,
                 std::string name) const;
};

/// The id of the node made from call \p call: "n<call>".
std::string node_id(CallId call);

} // namespace xcs
