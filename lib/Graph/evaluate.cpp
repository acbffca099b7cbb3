//===- evaluate.cpp - Reference evaluation of an XCSGraph -----------------===//

#include "xcs/graph.h"

#include "Graph/messages.h"
#include "Graph/target_tree.h"
#include "xcs/error.h"

#include <unordered_map>

namespace xcs {
namespace {

/// The value \p mapping reads from \p produced, the outputs of the edge's
/// producer. A missing path is an InputError that says where in the graph
/// the read happened, with Path::at's reason kept.
const Value &fetch(const XCSGraph &graph, const XCSNode &node,
                   const XCSEdge &edge, const FieldMapping &mapping,
                   const Record &produced) {
  try {
    return mapping.source.at(produced);
  } catch (const InputError &error) {
    throw InputError(detail::graph_prefix(graph) + detail::node_text(node.id) +
                     ": input '" + mapping.target.to_string() + "' from " +
                     detail::node_text(edge.from) + " output '" +
                     mapping.source.to_string() + "': " + error.what());
  }
}

[[noreturn]] void fail_assembly(const XCSGraph &graph, const XCSNode &node,
                                const std::string &problem) {
  throw InputError(detail::graph_prefix(graph) +
                   "cannot assemble the inputs of " +
                   detail::node_text(node.id) + ": " + problem);
}

} // namespace

Record assemble_inputs(
    const XCSGraph &graph, const XCSNode &node,
    const std::function<const Record &(const std::string &)> &outputs_of) {
  detail::TargetTree tree;
  auto place = [&](const Path &target, const Value &value) {
    if (auto problem = tree.place(target, value))
      fail_assembly(graph, node, *problem);
  };
  for (const XCSEdge *edge : graph.edges_into(node.id)) {
    const Record &produced = outputs_of(edge->from);
    for (const FieldMapping &mapping : edge->mappings)
      place(mapping.target, fetch(graph, node, *edge, mapping, produced));
  }
  for (const ConstantInput &constant : node.constants)
    place(constant.target, constant.value);
  if (auto gap = tree.first_gap())
    fail_assembly(graph, node, *gap);
  return tree.build();
}

Record evaluate(const XCSGraph &graph, const Record &input) {
  graph.validate();
  std::unordered_map<std::string, Record> outputs;
  outputs.emplace(graph.input_node().id, input);
  auto outputs_of = [&](const std::string &id) -> const Record & {
    return outputs.at(id);
  };
  for (const std::string &id : graph.topological_order()) {
    const XCSNode &node = *graph.find_node(id);
    if (node.kind == NodeKind::Operator)
      outputs.emplace(id, (*node.op)(assemble_inputs(graph, node, outputs_of)));
    if (node.kind == NodeKind::Check)
      node.op->spec().validate_kinds(node.op->name(), node.check_side,
                                     assemble_inputs(graph, node, outputs_of));
  }
  return assemble_inputs(graph, graph.output_node(), outputs_of);
}

} // namespace xcs
