//===- lower.cpp - From an XCSGraph to the routing IR ---------------------===//

#include "IR/lower.h"

#include "Core/declared_form.h"

#include "IR/syntax.h"

#include "xcs/async.h"
#include "xcs/error.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>

namespace xcs::ir {
namespace {

/// A node of \p opcode without operands yet.
Node node_of(Opcode opcode) {
  Node node;
  node.opcode = opcode;
  return node;
}

/// Adds a node to the function being built; returns its index.
using Emit = std::function<NodeIndex(Node)>;

/// A node's input record as parts placed at target paths, turned into
/// list and record nodes once all parts are known. The graph was
/// validated, so targets start with a field, do not conflict and build
/// dense lists.
class ArgumentTree {
public:
  ArgumentTree() : parts_(1) {}

  void place(const Path &target, NodeIndex value) {
    std::size_t at = 0;
    for (const Path::Step &step : target.steps())
      at = child(at, step);
    parts_[at].value = value;
  }

  /// The root record's fields, sorted by name; \p emit adds the list and
  /// record nodes of nested parts.
  std::vector<std::pair<FieldId, NodeIndex>> fields(const Emit &emit) const {
    return fields_of(parts_.front(), emit);
  }

private:
  struct Part {
    /// Set when the whole part is one value.
    std::optional<NodeIndex> value;
    /// List elements by index.
    std::map<std::size_t, std::size_t> items;
    /// Record fields by name (the order nodes list them in).
    std::map<std::string_view, std::pair<FieldId, std::size_t>> fields;
  };

  std::size_t child(std::size_t parent, const Path::Step &step) {
    std::size_t next = parts_.size();
    std::size_t found =
        step.is_index()
            ? parts_[parent].items.try_emplace(step.index, next).first->second
            : parts_[parent]
                  .fields.try_emplace(step.field.name(), step.field, next)
                  .first->second.second;
    if (found == next)
      parts_.emplace_back();
    return found;
  }

  std::vector<std::pair<FieldId, NodeIndex>> fields_of(const Part &part,
                                                       const Emit &emit) const {
    std::vector<std::pair<FieldId, NodeIndex>> fields;
    for (const auto &entry : part.fields)
      fields.emplace_back(entry.second.first,
                          build(parts_[entry.second.second], emit));
    return fields;
  }

  NodeIndex build(const Part &part, const Emit &emit) const {
    if (part.value)
      return *part.value;
    if (!part.items.empty()) {
      Node node = node_of(Opcode::List);
      for (const auto &entry : part.items)
        node.operands.push_back(build(parts_[entry.second], emit));
      return emit(std::move(node));
    }
    Node node = node_of(Opcode::Record);
    for (auto [field, value] : fields_of(part, emit)) {
      node.fields.push_back(field);
      node.operands.push_back(value);
    }
    return emit(std::move(node));
  }

  std::vector<Part> parts_;
};

std::string function_name(const std::string &graph_name) {
  std::string name = graph_name;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !syntax::is_name_char(c); },
      '_');
  return name.empty() ? "graph" : name;
}

class Lowering {
public:
  Lowering(const XCSGraph &graph, std::vector<OperatorPtr> &operator_table)
      : graph_(graph), operator_table_(operator_table) {}

  llvm::Expected<Module> run() {
    std::vector<std::string> order;
    const XCSNode *output = nullptr;
    try {
      graph_.validate();
      order = graph_.topological_order();
      output = &graph_.output_node();
    } catch (const Error &error) {
      return llvm::createStringError(error.what());
    }
    function().name = function_name(graph_.name());
    for (const std::string &id : order) {
      const XCSNode &node = *graph_.find_node(id);
      if (node.kind == NodeKind::Operator || node.kind == NodeKind::Check)
        if (llvm::Error error =
                lower_node(node, node.kind == NodeKind::Check ? Opcode::Check
                                                              : Opcode::Call))
          return error;
    }
    if (llvm::Error error = lower_node(*output, Opcode::Output))
      return error;
    function().outputs = function().nodes.back().fields;
    finish_inputs();
    name_operators();
    operator_table_ = std::move(table_);
    return std::move(module_);
  }

private:
  Function &function() { return module_.function; }

  NodeIndex add(Node node) {
    function().nodes.push_back(std::move(node));
    return static_cast<NodeIndex>(function().nodes.size() - 1);
  }

  /// Emits the nodes that assemble \p node's inputs, then \p opcode (a call
  /// of its operator, or the output) over them.
  llvm::Error lower_node(const XCSNode &node, Opcode opcode) {
    ArgumentTree tree;
    for (const XCSEdge *edge : graph_.edges_into(node.id))
      for (const FieldMapping &mapping : edge->mappings) {
        llvm::Expected<NodeIndex> value = read(*edge, mapping);
        if (!value)
          return value.takeError();
        tree.place(mapping.target, *value);
      }
    for (const ConstantInput &constant : node.constants) {
      Node value = node_of(Opcode::Const);
      value.value = constant.value;
      tree.place(constant.target, add(std::move(value)));
    }
    Node result = node_of(opcode);
    for (auto [field, value] :
         tree.fields([&](Node part) { return add(std::move(part)); })) {
      result.fields.push_back(field);
      result.operands.push_back(value);
    }
    if (uses_operator(opcode))
      result.op = operator_index(node.op);
    result.async = opcode == Opcode::Call && node.op->as_async();
    result.side = node.check_side;
    NodeIndex index = add(std::move(result));
    if (opcode == Opcode::Call)
      calls_.emplace(node.id, index);
    return llvm::Error::success();
  }

  /// The node whose value \p mapping reads from its producer.
  llvm::Expected<NodeIndex> read(const XCSEdge &edge,
                                 const FieldMapping &mapping) {
    const Path &source = mapping.source;
    if (edge.from != graph_.input_node().id)
      return get(calls_.at(edge.from), source);
    if (source.steps().front().is_index())
      return llvm::createStringError(
          "graph '" + graph_.name() + "': node '" + edge.to +
          "': the read of the graph input '" + source.to_string() +
          "' must start with a field name");
    Node input = node_of(Opcode::Input);
    input.field = source.steps().front().field;
    input_fields_.push_back(input.field);
    NodeIndex root = add(std::move(input));
    return source.steps().size() == 1 ? root : get(root, source.slice(1));
  }

  NodeIndex get(NodeIndex from, const Path &path) {
    Node node = node_of(Opcode::Get);
    node.operands.push_back(from);
    node.path = path;
    return add(std::move(node));
  }

  std::uint32_t operator_index(const OperatorPtr &op) {
    auto [it, inserted] = operator_index_.try_emplace(
        op.get(), static_cast<std::uint32_t>(table_.size()));
    if (inserted) {
      table_.push_back(op);
    }
    return it->second;
  }

  /// The operator table's entries as the text form names them: by
  /// registry form, so the printed IR reads back. A composite that is only
  /// checked is named by its specification (Core/declared_form.h); any
  /// other operator is named by its name and marked unregistered.
  void name_operators() {
    std::vector<bool> called(table_.size(), false);
    for (const Node &node : function().nodes)
      if (uses_operator(node.opcode) && node.opcode != Opcode::Check)
        called[node.op] = true;
    for (std::size_t i = 0; i < table_.size(); ++i) {
      const Operator &op = *table_[i];
      if (const auto *registrable = dynamic_cast<const Registrable *>(&op)) {
        RegistryForm form = registrable->registry_form();
        module_.operators.push_back(
            OperatorRef{std::move(form.name), std::move(form.arguments)});
      } else if (!called[i]) {
        RegistryForm form = declared_form(op.name(), op.spec());
        module_.operators.push_back(
            OperatorRef{std::move(form.name), std::move(form.arguments)});
      } else {
        module_.operators.push_back(
            OperatorRef{op.name(), Value(), /*registered=*/false});
      }
    }
  }

  void finish_inputs() {
    std::vector<FieldId> &inputs = function().inputs;
    inputs = input_fields_;
    std::sort(inputs.begin(), inputs.end(),
              [](FieldId a, FieldId b) { return a.name() < b.name(); });
    inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
  }

  const XCSGraph &graph_;
  /// Replaced by table_ only when lowering succeeds.
  std::vector<OperatorPtr> &operator_table_;
  std::vector<OperatorPtr> table_;
  Module module_;
  /// Operator node id -> its call node.
  std::unordered_map<std::string, NodeIndex> calls_;
  std::unordered_map<const Operator *, std::uint32_t> operator_index_;
  std::vector<FieldId> input_fields_;
};

} // namespace

llvm::Expected<Module> lower(const XCSGraph &graph,
                             std::vector<OperatorPtr> &operator_table) {
  return Lowering(graph, operator_table).run();
}

} // namespace xcs::ir
