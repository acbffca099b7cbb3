//===- xcs/graph.h - The dataflow graph of operator calls -------*- C++ -*-===//
///
/// \file
/// An XCSGraph is the dataflow between operator calls, at field level. Nodes
/// are the graph input, operator calls (leaves, or composites kept opaque),
/// and the graph output. Edges carry field mappings: a path into the
/// producer's output record -> a path into the consumer's input record. A
/// target path longer than one step builds a list or record from parts
/// (`responses[1]` is element 1 of the consumer's `responses` list).
///
/// The result of a graph is the record assembled for the node named by
/// output_node_id(), and nothing else.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"
#include "xcs/path.h"
#include "xcs/record.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace xcs {

namespace detail {
class TargetTree;

/// XCSGraph's tree of the targets written into each node so far, so that
/// adding an edge places only its own targets (rebuilding the node's tree
/// on every edge took 10^8 steps for a node fed by 10,000 edges). A copy
/// starts empty and rebuilds what it needs from its graph.
class TargetTrees {
public:
  TargetTrees();
  ~TargetTrees();
  TargetTrees(const TargetTrees &);
  TargetTrees &operator=(const TargetTrees &);
  TargetTrees(TargetTrees &&) noexcept;
  TargetTrees &operator=(TargetTrees &&) noexcept;

  /// The tree of the node at position \p node, or null when none is kept.
  TargetTree *find(std::size_t node) const;
  void keep(std::size_t node, std::unique_ptr<TargetTree> tree);
  void forget(std::size_t node);

private:
  std::vector<std::unique_ptr<TargetTree>> trees_;
};
} // namespace detail

enum class NodeKind {
  Input,    ///< Its outputs are the graph's input record.
  Operator, ///< Calls its operator on its assembled inputs.
  Output,   ///< Its assembled inputs are the graph's result.
  /// Checks the kinds of its assembled inputs against one side of its
  /// operator's specification, where a flattened composite's validation
  /// would have run; sends nothing on.
  Check
};

/// Where one part of a consumer's input comes from.
struct FieldMapping {
  /// Path into the producer's output record; starts with an output field.
  Path source;
  /// Path into the consumer's input record; starts with an input field.
  Path target;
  friend bool operator==(const FieldMapping &, const FieldMapping &) = default;
};

/// A value fixed at trace time, placed at \p target in a node's inputs.
struct ConstantInput {
  Path target;
  Value value;
};

struct XCSNode {
  std::string id;
  NodeKind kind = NodeKind::Operator;
  /// The operator instance (Operator nodes), or the composite whose
  /// specification a Check node checks.
  OperatorPtr op;
  /// Check nodes: which side of op's specification they check.
  SpecSide check_side = SpecSide::Outputs;
  /// Constant parts of the node's inputs.
  std::vector<ConstantInput> constants;
  /// Why a composite was kept as one node running its real forward; empty
  /// for leaves and for the input and output nodes.
  std::string opaque_reason;
  /// The trace call this node came from (0 when built by hand).
  std::uint64_t call_id = 0;

  /// The operator's name, "input" / "output", or for a check
  /// "check <operator> inputs|outputs".
  std::string label() const;
};

struct XCSEdge {
  std::string from;
  std::string to;
  std::vector<FieldMapping> mappings;
};

class XCSGraph {
public:
  /// The input and output nodes are created with ids "input" and "output";
  /// output_node_id() starts as "output".
  explicit XCSGraph(std::string name);

  const std::string &name() const { return name_; }

  /// Adds a node; GraphError on an empty or duplicate id, on an Operator or
  /// Check node without an operator, an Output node with one, a second Input
  /// node, or
  /// constants whose targets clash (see add_edge).
  void add_node(XCSNode node);
  /// Adds an edge, merging mappings into an existing edge between the same
  /// nodes. GraphError naming the graph and the edge when an endpoint does
  /// not exist, the edge is a self-loop, it ends at the input node or starts
  /// at an Output or Check node, a path is empty, a target starts with an index, or
  /// the consumer's targets clash: one written twice, written both whole and
  /// in parts (`responses` and `responses[0]`), or built both as a list and
  /// as a record. Gaps in lists are left to validate().
  void add_edge(XCSEdge edge);
  /// Adds a constant part to node \p id's inputs (the only way to give the
  /// output node, which the constructor creates, a constant). GraphError
  /// naming the graph and the node when there is no such node, it is the
  /// input node, or the target is already written.
  void add_constant(const std::string &id, ConstantInput constant);
  /// Names the node whose assembled inputs are the graph's result.
  void set_output_node_id(std::string id) { output_node_id_ = std::move(id); }
  const std::string &output_node_id() const { return output_node_id_; }

  const std::vector<XCSNode> &nodes() const { return nodes_; }
  const std::vector<XCSEdge> &edges() const { return edges_; }
  /// The node with \p id, or nullptr.
  const XCSNode *find_node(const std::string &id) const;
  const XCSNode &input_node() const { return nodes_.front(); }
  /// The output node; GraphError naming the graph if output_node_id() names
  /// no node or a node that is not an Output node.
  const XCSNode &output_node() const;
  /// Edges ending at node \p id, in insertion order.
  std::vector<const XCSEdge *> edges_into(const std::string &id) const;
  /// Operator nodes only, in insertion order.
  std::vector<const XCSNode *> operator_nodes() const;

  /// Node ids, producers before consumers; ties keep insertion order, and
  /// the output node comes last. GraphError listing the nodes of a cycle.
  std::vector<std::string> topological_order() const;
  /// Checks everything the graph promises: acyclic, the output node exists,
  /// every node's mappings and constants write distinct targets, and every
  /// list built from parts is dense ([0] .. [n-1]). GraphError otherwise.
  void validate() const;

  /// Graphviz DOT, edges labelled with their mappings.
  std::string to_dot() const;
  /// A readable dump: one line per node (operator, constants, opaque
  /// reason) then one line per mapping.
  std::string to_text() const;

private:
  /// The position of node \p id in nodes_, or nodes_.size() if none.
  std::size_t index_of(const std::string &id) const;
  /// Places \p pending among the targets of \p node, at position \p at
  /// (nodes_.size() for a node being added), and keeps the tree; returns
  /// what clashes, forgetting the tree then (the graph is left unchanged,
  /// and the next use rebuilds it).
  std::optional<std::string> place_targets(std::size_t at, const XCSNode &node,
                                           const std::vector<Path> &pending);
  std::string name_;
  std::string output_node_id_ = "output";
  std::vector<XCSNode> nodes_;
  std::vector<XCSEdge> edges_;
  /// Node id -> position in nodes_, so lookups stay O(1) in large graphs.
  std::unordered_map<std::string, std::size_t> index_;
  /// Per node position, the positions in edges_ of the edges ending there,
  /// so finding a node's producers does not scan every edge.
  std::vector<std::vector<std::size_t>> incoming_;
  detail::TargetTrees targets_;
};

/// Assembles node \p id's input record from its producers' outputs and its
/// constants. \p outputs_of returns a producer node's output record (for the
/// input node, the graph input). Throws InputError naming the node and the
/// mapping when a source path does not exist in the producer's outputs.
Record assemble_inputs(const XCSGraph &graph, const XCSNode &node,
                       const std::function<const Record &(const std::string &)>
                           &outputs_of);

/// Runs the graph sequentially in topological order, calling each operator
/// node, and returns the output node's assembled record. The reference
/// semantics of a graph; failures propagate as thrown.
Record evaluate(const XCSGraph &graph, const Record &input);

} // namespace xcs
