//===- graph.cpp - Building, checking and ordering an XCSGraph ------------===//

#include "xcs/graph.h"

#include "Graph/messages.h"
#include "Graph/target_tree.h"
#include "xcs/error.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <optional>
#include <queue>

namespace xcs {
namespace {

[[noreturn]] void fail(const XCSGraph &graph, const std::string &what) {
  throw GraphError(detail::graph_prefix(graph) + what);
}

std::string edge_text(const std::string &from, const std::string &to) {
  return "edge '" + from + "' -> '" + to + "'";
}

XCSNode boundary_node(std::string id, NodeKind kind) {
  XCSNode node;
  node.id = std::move(id);
  node.kind = kind;
  return node;
}

/// Places the targets written into \p node (those of its edges already in
/// \p graph, then its constants) in \p tree; returns what clashes.
std::optional<std::string> place_written(const XCSGraph &graph,
                                         const XCSNode &node,
                                         detail::TargetTree &tree) {
  for (const XCSEdge *edge : graph.edges_into(node.id))
    for (const FieldMapping &mapping : edge->mappings)
      if (auto problem = tree.place(mapping.target, Value()))
        return problem;
  for (const ConstantInput &constant : node.constants)
    if (auto problem = tree.place(constant.target, Value()))
      return problem;
  return std::nullopt;
}

/// The targets of \p mappings.
std::vector<Path> targets_of(const std::vector<FieldMapping> &mappings) {
  std::vector<Path> targets;
  for (const FieldMapping &mapping : mappings)
    targets.push_back(mapping.target);
  return targets;
}

/// A dependency between node positions: first must run before second.
using Arc = std::pair<std::size_t, std::size_t>;

/// Kahn's algorithm over \p count nodes, always taking the earliest-inserted
/// ready node so that ties keep insertion order. Returns the positions it
/// could order; \p indegree ends non-zero exactly for the others (the nodes
/// on a cycle and those downstream of one).
std::vector<std::size_t> kahn_order(std::size_t count,
                                    const std::vector<Arc> &arcs,
                                    std::vector<std::size_t> &indegree) {
  std::vector<std::vector<std::size_t>> successors(count);
  indegree.assign(count, 0);
  for (const auto &[from, to] : arcs) {
    successors[from].push_back(to);
    ++indegree[to];
  }
  std::priority_queue<std::size_t, std::vector<std::size_t>, std::greater<>>
      ready;
  for (std::size_t i = 0; i < count; ++i)
    if (indegree[i] == 0)
      ready.push(i);
  std::vector<std::size_t> order;
  order.reserve(count);
  while (!ready.empty()) {
    std::size_t next = ready.top();
    ready.pop();
    order.push_back(next);
    for (std::size_t successor : successors[next])
      if (--indegree[successor] == 0)
        ready.push(successor);
  }
  return order;
}

/// One cycle among the nodes kahn_order() left over, in edge direction,
/// starting at its earliest-inserted node.
std::vector<std::size_t> find_cycle(const std::vector<Arc> &arcs,
                                    const std::vector<std::size_t> &indegree) {
  auto left_over = [&](std::size_t i) { return indegree[i] != 0; };
  auto predecessor = [&](std::size_t node) {
    return std::find_if(arcs.begin(), arcs.end(),
                        [&](const Arc &arc) {
                          return arc.second == node && left_over(arc.first);
                        })
        ->first;
  };
  // Each left-over node still counts an edge from another left-over node,
  // so walking predecessors must come back to a node already walked.
  constexpr std::size_t unseen = static_cast<std::size_t>(-1);
  std::vector<std::size_t> position(indegree.size(), unseen);
  std::vector<std::size_t> walk;
  std::size_t at = static_cast<std::size_t>(
      std::find_if(indegree.begin(), indegree.end(),
                   [](std::size_t degree) { return degree != 0; }) -
      indegree.begin());
  while (position[at] == unseen) {
    position[at] = walk.size();
    walk.push_back(at);
    at = predecessor(at);
  }
  std::vector<std::size_t> cycle(walk.rbegin(), walk.rend() - position[at]);
  std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()),
              cycle.end());
  return cycle;
}

} // namespace

std::string XCSNode::label() const {
  switch (kind) {
  case NodeKind::Input:
    return "input";
  case NodeKind::Output:
    return "output";
  case NodeKind::Check:
    return "check " + (op ? op->name() : "(no operator)") + " " +
           std::string(side_name(check_side));
  case NodeKind::Operator:
    break;
  }
  // A node that add_node() would refuse may still be labelled, e.g. in a
  // message about it.
  return op ? op->name() : "(no operator)";
}

XCSGraph::XCSGraph(std::string name) : name_(std::move(name)) {
  nodes_.push_back(boundary_node("input", NodeKind::Input));
  nodes_.push_back(boundary_node("output", NodeKind::Output));
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    index_.emplace(nodes_[i].id, i);
  incoming_.resize(nodes_.size());
}

std::optional<std::string>
XCSGraph::place_targets(std::size_t at, const XCSNode &node,
                        const std::vector<Path> &pending) {
  detail::TargetTree *tree = targets_.find(at);
  if (!tree) {
    auto built = std::make_unique<detail::TargetTree>();
    if (auto problem = place_written(*this, node, *built))
      return problem;
    tree = built.get();
    targets_.keep(at, std::move(built));
  }
  for (const Path &target : pending)
    if (auto problem = tree->place(target, Value())) {
      targets_.forget(at);
      return problem;
    }
  return std::nullopt;
}

std::size_t XCSGraph::index_of(const std::string &id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nodes_.size() : it->second;
}

const XCSNode *XCSGraph::find_node(const std::string &id) const {
  std::size_t i = index_of(id);
  return i < nodes_.size() ? &nodes_[i] : nullptr;
}

void XCSGraph::add_node(XCSNode node) {
  if (node.id.empty())
    fail(*this, "a node id is empty");
  std::string where = detail::node_text(node.id) + ": ";
  if (find_node(node.id))
    fail(*this, where + "duplicate node id");
  if (node.kind == NodeKind::Input)
    fail(*this, where + "the graph already has its input node '" +
                    input_node().id + "'");
  if (node.kind == NodeKind::Operator && !node.op)
    fail(*this, where + "an operator node has no operator");
  if (node.kind == NodeKind::Check && !node.op)
    fail(*this, where + "a check node has no operator to check against");
  if (node.kind == NodeKind::Output && node.op)
    fail(*this,
         where + "an output node carries operator '" + node.op->name() + "'");
  if (auto problem = place_targets(nodes_.size(), node, {}))
    fail(*this, where + *problem);
  index_.emplace(node.id, nodes_.size());
  nodes_.push_back(std::move(node));
  incoming_.emplace_back();
}

void XCSGraph::add_edge(XCSEdge edge) {
  std::string where = edge_text(edge.from, edge.to) + ": ";
  for (const std::string *end : {&edge.from, &edge.to})
    if (!find_node(*end))
      fail(*this, where + "there is no node '" + *end + "'");
  if (edge.from == edge.to)
    fail(*this, where + "a node cannot feed itself");
  const XCSNode &consumer = *find_node(edge.to);
  if (consumer.kind == NodeKind::Input)
    fail(*this, where + "the input node takes no inputs");
  if (find_node(edge.from)->kind == NodeKind::Output)
    fail(*this, where + "an output node has no outputs to send");
  if (find_node(edge.from)->kind == NodeKind::Check)
    fail(*this, where + "a check node has no outputs to send");
  for (const FieldMapping &mapping : edge.mappings)
    if (mapping.source.empty())
      fail(*this, where + "the mapping into '" + mapping.target.to_string() +
                      "' has an empty source path");
  if (auto problem = place_targets(index_of(edge.to), consumer,
                                   targets_of(edge.mappings)))
    fail(*this, where + *problem);

  std::vector<std::size_t> &incoming = incoming_[index_of(edge.to)];
  auto existing =
      std::find_if(incoming.begin(), incoming.end(),
                   [&](std::size_t e) { return edges_[e].from == edge.from; });
  if (existing == incoming.end()) {
    incoming.push_back(edges_.size());
    edges_.push_back(std::move(edge));
    return;
  }
  std::vector<FieldMapping> &mappings = edges_[*existing].mappings;
  mappings.insert(mappings.end(), std::make_move_iterator(edge.mappings.begin()),
                  std::make_move_iterator(edge.mappings.end()));
}

void XCSGraph::add_constant(const std::string &id, ConstantInput constant) {
  std::string where = detail::node_text(id) + ": ";
  std::size_t i = index_of(id);
  if (i == nodes_.size())
    fail(*this, where + "there is no such node to take a constant");
  if (nodes_[i].kind == NodeKind::Input)
    fail(*this, where + "the input node takes no inputs");
  if (auto problem = place_targets(i, nodes_[i], {constant.target}))
    fail(*this, where + *problem);
  nodes_[i].constants.push_back(std::move(constant));
}

const XCSNode &XCSGraph::output_node() const {
  const XCSNode *node = find_node(output_node_id_);
  if (!node)
    fail(*this, "output node '" + output_node_id_ + "' does not exist");
  if (node->kind != NodeKind::Output)
    fail(*this, "output node '" + output_node_id_ + "' is not an Output node");
  return *node;
}

std::vector<const XCSEdge *> XCSGraph::edges_into(const std::string &id) const {
  std::vector<const XCSEdge *> into;
  std::size_t i = index_of(id);
  if (i == nodes_.size())
    return into;
  for (std::size_t e : incoming_[i])
    into.push_back(&edges_[e]);
  return into;
}

std::vector<const XCSNode *> XCSGraph::operator_nodes() const {
  std::vector<const XCSNode *> operators;
  for (const XCSNode &node : nodes_)
    if (node.kind == NodeKind::Operator)
      operators.push_back(&node);
  return operators;
}

std::vector<std::string> XCSGraph::topological_order() const {
  std::vector<Arc> arcs;
  arcs.reserve(edges_.size());
  for (const XCSEdge &edge : edges_)
    arcs.emplace_back(index_of(edge.from), index_of(edge.to));
  std::vector<std::size_t> indegree;
  std::vector<std::size_t> order = kahn_order(nodes_.size(), arcs, indegree);
  if (order.size() != nodes_.size()) {
    std::vector<std::size_t> cycle = find_cycle(arcs, indegree);
    std::string text;
    for (std::size_t i : cycle)
      text += nodes_[i].id + " -> ";
    fail(*this, "cycle: " + text + nodes_[cycle.front()].id);
  }
  // The output node sends nothing on, so it may go last, where readers of
  // the order expect it, even when nodes inserted after it have no path
  // to it (checks).
  std::stable_partition(order.begin(), order.end(), [&](std::size_t i) {
    return nodes_[i].id != output_node_id_;
  });
  std::vector<std::string> ids;
  ids.reserve(order.size());
  for (std::size_t i : order)
    ids.push_back(nodes_[i].id);
  return ids;
}

void XCSGraph::validate() const {
  topological_order(); // Throws on a cycle.
  output_node();       // Throws when the output node is missing.
  for (const XCSNode &node : nodes_) {
    detail::TargetTree tree;
    std::optional<std::string> problem = place_written(*this, node, tree);
    if (!problem)
      problem = tree.first_gap();
    if (problem)
      fail(*this, detail::node_text(node.id) + ": " + *problem);
  }
}

} // namespace xcs
