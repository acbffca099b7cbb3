//===- trace_test_util.h - Helpers for tracing tests ------------*- C++ -*-===//
#pragma once

#include "xcs/graph_builder.h"
#include "xcs/ops.h"
#include "xcs/trace.h"

#include <string>
#include <vector>

namespace xcs::testing_util {

/// Traces \p op on \p input and builds its graph.
inline XCSGraph graph_of(const Operator &op, const Record &input,
                         std::string name = "test") {
  Trace trace = xcs::trace(op, input);
  return AutoGraphBuilder().build(trace, std::move(name));
}

/// Labels of the operator nodes, in graph order.
inline std::vector<std::string> operator_labels(const XCSGraph &graph) {
  std::vector<std::string> labels;
  for (const XCSNode *node : graph.operator_nodes())
    labels.push_back(node->label());
  return labels;
}

/// The operator nodes labelled \p label.
inline std::vector<const XCSNode *> nodes_labelled(const XCSGraph &graph,
                                                   const std::string &label) {
  std::vector<const XCSNode *> found;
  for (const XCSNode *node : graph.operator_nodes())
    if (node->label() == label)
      found.push_back(node);
  return found;
}

/// Every mapping into \p to as "from:source->target", in edge order.
inline std::vector<std::string> mappings_into(const XCSGraph &graph,
                                              const std::string &to) {
  std::vector<std::string> text;
  for (const XCSEdge *edge : graph.edges_into(to))
    for (const FieldMapping &m : edge->mappings)
      text.push_back(edge->from + ":" + m.source.to_string() + "->" +
                     m.target.to_string());
  return text;
}

/// Whether some edge goes from \p from to \p to.
inline bool has_edge(const XCSGraph &graph, const std::string &from,
                     const std::string &to) {
  for (const XCSEdge *edge : graph.edges_into(to))
    if (edge->from == from)
      return true;
  return false;
}

/// An operator whose forward is \p body; a composite when body calls
/// children.
inline OperatorPtr composite(std::string name, Specification spec,
                             std::function<Record(const Record &)> body) {
  return ops::function(std::move(name), std::move(spec), std::move(body));
}

} // namespace xcs::testing_util
