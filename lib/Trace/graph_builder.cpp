//===- graph_builder.cpp - From a trace to an XCSGraph --------------------===//

#include "xcs/graph_builder.h"

#include "xcs/error.h"

namespace xcs {
namespace {

std::string endpoint(CallId call, std::string_view boundary) {
  return call == 0 ? std::string(boundary) : node_id(call);
}

} // namespace

XCSGraph AutoGraphBuilder::build(const Trace &trace, std::string name) const {
  return build(*trace.context, trace.root, std::move(name));
}

XCSGraph AutoGraphBuilder::build(const TracerContext &context, CallId root,
                                 std::string name) const {
  DependencyAnalyzer analyzer(context, root);
  XCSGraph graph(std::move(name));
  for (CallId call : analyzer.nodes()) {
    const TraceRecord &record = context.record(call);
    XCSNode node;
    node.id = node_id(call);
    node.op = record.op.lock();
    if (!node.op)
      throw GraphError("graph '" + graph.name() + "': operator '" +
                       record.operator_name + "' (call " +
                       std::to_string(call) +
                       ") is gone or not owned by a std::shared_ptr");
    node.opaque_reason = record.opaque_reason;
    node.call_id = call;
    graph.add_node(std::move(node));
  }
  for (const Dependency &d : analyzer.dependencies())
    graph.add_edge(XCSEdge{endpoint(d.producer, "input"),
                           endpoint(d.consumer, graph.output_node_id()),
                           {FieldMapping{d.source, d.target}}});
  for (const ConstantDependency &c : analyzer.constants())
    graph.add_constant(endpoint(c.consumer, graph.output_node_id()),
                       ConstantInput{c.target, c.value});
  graph.validate();
  return graph;
}

} // namespace xcs
