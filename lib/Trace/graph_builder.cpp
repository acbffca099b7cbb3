//===- graph_builder.cpp - From a trace to an XCSGraph --------------------===//

#include "xcs/graph_builder.h"

#include "xcs/error.h"

namespace xcs {
namespace {

std::string endpoint(CallId call, std::string_view boundary,
                     std::optional<SpecSide> check = std::nullopt) {
  if (check)
    return check_node_id(call, *check);
  return call == 0 ? std::string(boundary) : node_id(call);
}

/// The operator of \p call; GraphError naming \p graph when it is gone.
OperatorPtr operator_of(const XCSGraph &graph, const TraceRecord &record) {
  OperatorPtr op = record.op.lock();
  if (!op)
    throw GraphError("graph '" + graph.name() + "': operator '" +
                     record.operator_name + "' (call " +
                     std::to_string(record.call_id) +
                     ") is gone or not owned by a std::shared_ptr");
  return op;
}

} // namespace

XCSGraph AutoGraphBuilder::build(const Trace &trace, std::string name) const {
  return build(*trace.context, trace.root, std::move(name));
}

XCSGraph AutoGraphBuilder::build(const TracerContext &context, CallId root,
                                 std::string name) const {
  DependencyAnalyzer analyzer(context, root);
  XCSGraph graph(std::move(name));
  // Nodes go in in call order with the checks among them, because the
  // graph's order is the order in which a failure is reported.
  auto check = analyzer.checks().begin();
  auto add_checks_before = [&](std::size_t position) {
    for (; check != analyzer.checks().end() && check->position == position;
         ++check) {
      XCSNode node;
      node.kind = NodeKind::Check;
      node.id = check_node_id(check->composite, check->side);
      node.op = operator_of(graph, context.record(check->composite));
      node.check_side = check->side;
      node.call_id = check->composite;
      graph.add_node(std::move(node));
    }
  };
  for (std::size_t i = 0; i < analyzer.nodes().size(); ++i) {
    add_checks_before(i);
    const TraceRecord &record = context.record(analyzer.nodes()[i]);
    XCSNode node;
    node.id = node_id(record.call_id);
    node.op = operator_of(graph, record);
    node.opaque_reason = record.opaque_reason;
    node.call_id = record.call_id;
    graph.add_node(std::move(node));
  }
  add_checks_before(analyzer.nodes().size());
  for (const Dependency &d : analyzer.dependencies())
    graph.add_edge(
        XCSEdge{endpoint(d.producer, "input"),
                endpoint(d.consumer, graph.output_node_id(), d.check),
                {FieldMapping{d.source, d.target}}});
  for (const ConstantDependency &c : analyzer.constants())
    graph.add_constant(endpoint(c.consumer, graph.output_node_id(), c.check),
                       ConstantInput{c.target, c.value});
  graph.validate();
  return graph;
}

} // namespace xcs
