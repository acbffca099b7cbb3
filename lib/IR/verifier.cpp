//===- verifier.cpp - Checking a module's invariants ----------------------===//

#include "IR/verifier.h"

#include "IR/syntax.h"
#include "xcs/control_flow.h"

#include "llvm/ADT/BitVector.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <optional>
#include <unordered_set>
#include <utility>

namespace xcs::ir {
namespace {

constexpr std::uint32_t no_task = std::numeric_limits<std::uint32_t>::max();

std::string quoted(FieldId field) {
  return "'" + std::string(field.name()) + "'";
}

std::string task_name(std::size_t task) {
  return "task " + std::to_string(task);
}

/// The index of the first field of \p fields that an earlier one repeats.
std::optional<std::uint32_t>
first_duplicate(const std::vector<FieldId> &fields) {
  std::unordered_set<FieldId> seen;
  for (std::uint32_t i = 0; i < fields.size(); ++i)
    if (!seen.insert(fields[i]).second)
      return i;
  return std::nullopt;
}

bool contains(const std::vector<FieldId> &fields, FieldId field) {
  return std::find(fields.begin(), fields.end(), field) != fields.end();
}

/// Operator arguments are null or a record.
llvm::Error check_table(const Module &module) {
  for (std::uint32_t i = 0; i < module.operators.size(); ++i) {
    const Value &arguments = module.operators[i].arguments;
    if (!arguments.is_null() && !arguments.is_record())
      return llvm::make_error<VerifierError>(
          "graph @" + module.function.name + ": operator @op" +
              std::to_string(i) + " (" + module.operators[i].name +
              "): arguments must be a JSON object or null",
          Site::Operator, i);
  }
  return llvm::Error::success();
}

class Verifier {
public:
  /// Checks \p function, graph \p graph of \p module (a body index or
  /// VerifierError::main_graph); its map nodes may map the first
  /// \p visible_bodies bodies.
  Verifier(const Module &module, const Function &function,
           std::uint32_t graph, std::size_t visible_bodies,
           const ValueNames *names)
      : module_(module), function_(function), graph_(graph),
        visible_bodies_(visible_bodies), names_(names) {}

  llvm::Error run() {
    if (llvm::Error error = check_signature())
      return error;
    for (NodeIndex i = 0; i < function_.nodes.size(); ++i)
      if (llvm::Error error = check_node(i))
        return error;
    // check_node() rejects an output before the last node, so a last node
    // that is not the output means there is none.
    if (function_.nodes.empty() ||
        function_.nodes.back().opcode != Opcode::Output)
      return fail(Site::End, 0,
                  "has no output node; the last node must be the output");
    if (llvm::Error error = check_tasks())
      return error;
    return check_slots();
  }

private:
  llvm::Error fail(Site site, std::uint32_t index,
                   const std::string &message) const {
    return llvm::make_error<VerifierError>(
        "graph @" + function_.name + ": " + message, site, index, graph_);
  }
  llvm::Error fail_node(NodeIndex node, const std::string &message) const {
    return fail(Site::Node, node,
                describe_node(function_, node, names_) + ": " + message);
  }

  llvm::Error check_signature() const {
    if (!syntax::is_sigil_name(function_.name))
      return fail(Site::Graph, 0,
                  "the graph name must be one or more letters, digits, '_' "
                  "or '-'");
    if (auto i = first_duplicate(function_.inputs))
      return fail(Site::Input, *i,
                  "input " + quoted(function_.inputs[*i]) +
                      " is declared twice");
    if (auto i = first_duplicate(function_.outputs))
      return fail(Site::Output, *i,
                  "output " + quoted(function_.outputs[*i]) +
                      " is declared twice");
    return llvm::Error::success();
  }


  llvm::Error check_node(NodeIndex i) const {
    const Node &node = function_.nodes[i];
    for (NodeIndex operand : node.operands)
      if (operand >= i)
        return fail_node(i, "operand " + value_name(operand, names_) +
                                " is not defined before use");
    if (llvm::Error error = check_shape(i))
      return error;
    switch (node.opcode) {
    case Opcode::Input:
      if (!contains(function_.inputs, node.field))
        return fail_node(i, "reads " + quoted(node.field) +
                                ", which is not a declared input");
      break;
    case Opcode::Call:
    case Opcode::Check:
      if (node.op >= module_.operators.size())
        return fail_node(
            i, std::string(node.opcode == Opcode::Call ? "calls"
                                                       : "checks against") +
                   " @op" + std::to_string(node.op) +
                   " but the operator table has " +
                   std::to_string(module_.operators.size()) + " entries");
      break;
    case Opcode::Get:
      if (node.path.empty())
        return fail_node(i, "the path is empty");
      break;
    case Opcode::Output:
      return check_output(i);
    case Opcode::Cond:
    case Opcode::Switch:
    case Opcode::Fallback:
    case Opcode::Repeat:
      return check_structured(i);
    case Opcode::Map:
      return check_map(i);
    case Opcode::Const:
    case Opcode::List:
    case Opcode::Record:
      break;
    }
    return llvm::Error::success();
  }

  /// Operand and field counts, as the opcode's operand shape demands.
  llvm::Error check_shape(NodeIndex i) const {
    const Node &node = function_.nodes[i];
    switch (operand_shape(node.opcode)) {
    case OperandShape::None:
      if (!node.operands.empty())
        return fail_node(i, "takes no operands but has " +
                                std::to_string(node.operands.size()));
      return llvm::Error::success();
    case OperandShape::One:
      if (node.operands.size() != 1)
        return fail_node(i, "takes one operand but has " +
                                std::to_string(node.operands.size()));
      return llvm::Error::success();
    case OperandShape::Any:
      return llvm::Error::success();
    case OperandShape::Fields:
      break;
    }
    if (node.fields.size() != node.operands.size())
      return fail_node(
          i, "has " + std::to_string(node.fields.size()) + " fields but " +
                 std::to_string(node.operands.size()) + " operands");
    if (auto k = first_duplicate(node.fields))
      return fail_node(i,
                       "field " + quoted(node.fields[*k]) + " appears twice");
    return llvm::Error::success();
  }

  /// A structured node's operator and branches are in the table, it has
  /// the branches its opcode needs, and what it chooses by is there: the
  /// input field of a cond or switch, distinct case values, a bound of at
  /// least one run. That the branches produce the same fields and kinds,
  /// and that a loop body takes its own output, depends on the operators'
  /// specifications: verify_branches() checks it where they are known.
  llvm::Error check_structured(NodeIndex i) const {
    const Node &node = function_.nodes[i];
    std::size_t table = module_.operators.size();
    auto out_of_table = [&](std::uint32_t op) {
      return fail_node(i, "uses @op" + std::to_string(op) +
                              " but the operator table has " +
                              std::to_string(table) + " entries");
    };
    if (node.op >= table)
      return out_of_table(node.op);
    for (std::uint32_t branch : node.branches)
      if (branch >= table)
        return out_of_table(branch);
    std::size_t wanted = node.opcode == Opcode::Repeat ? 1
                         : node.opcode == Opcode::Switch
                             ? node.cases.size() + 1
                             : 2;
    if (node.branches.size() != wanted)
      return fail_node(i, "has " + std::to_string(node.branches.size()) +
                              " branches but needs " + std::to_string(wanted));
    if (node.opcode != Opcode::Switch && !node.cases.empty())
      return fail_node(i, "has case values but is not a switch");
    if (node.opcode == Opcode::Switch && node.cases.empty())
      return fail_node(i, "needs at least one case");
    for (std::size_t a = 0; a < node.cases.size(); ++a)
      for (std::size_t b = a + 1; b < node.cases.size(); ++b)
        if (node.cases[a] == node.cases[b])
          return fail_node(i, "case " + node.cases[a].to_string() +
                                  " appears twice");
    bool chooses = node.opcode == Opcode::Cond || node.opcode == Opcode::Switch;
    if (chooses && !contains(node.fields, node.field))
      return fail_node(i, "chooses by " + quoted(node.field) +
                              ", which is not one of its fields");
    if ((node.opcode == Opcode::Repeat) != (node.max_iterations != 0))
      return fail_node(i, node.opcode == Opcode::Repeat
                              ? "must run its body at least once (max 0)"
                              : "has an iteration bound but is not a repeat");
    return llvm::Error::success();
  }

  /// A map's operator is in the table and its body is a graph listed
  /// before this one, which reads only the map's fields; its mapped fields
  /// are distinct fields of its own, none a constant other than a list;
  /// with per-element outcomes, the errors field is not a body output.
  llvm::Error check_map(NodeIndex i) const {
    const Node &node = function_.nodes[i];
    if (node.op >= module_.operators.size())
      return fail_node(i, "uses @op" + std::to_string(node.op) +
                              " but the operator table has " +
                              std::to_string(module_.operators.size()) +
                              " entries");
    if (node.body >= visible_bodies_)
      return fail_node(i, "maps body graph " + std::to_string(node.body) +
                              ", but only " + std::to_string(visible_bodies_) +
                              " are listed before this graph");
    if (node.mapped.empty())
      return fail_node(i, "maps no field");
    if (auto k = first_duplicate(node.mapped))
      return fail_node(i, "maps " + quoted(node.mapped[*k]) + " twice");
    for (FieldId field : node.mapped) {
      auto at = std::find(node.fields.begin(), node.fields.end(), field);
      if (at == node.fields.end())
        return fail_node(i, "maps " + quoted(field) +
                                ", which is not one of its fields");
      const Node &operand = function_.nodes[node.operands[at - node.fields.begin()]];
      bool not_list = (operand.opcode == Opcode::Const &&
                       !operand.value.is_list()) ||
                      operand.opcode == Opcode::Record;
      if (not_list)
        return fail_node(i, "maps " + quoted(field) + ", but its value " +
                                value_name(node.operands[at - node.fields.begin()], names_) +
                                " is not a list");
    }
    const Function &body = module_.bodies[node.body];
    for (FieldId input : body.inputs)
      if (!contains(node.fields, input))
        return fail_node(i, "body @" + body.name + " reads input " +
                                quoted(input) +
                                ", which is not one of the map's fields");
    if (node.per_element && contains(body.outputs, node.field))
      return fail_node(i, "the errors field " + quoted(node.field) +
                              " is also an output of body @" + body.name);
    return llvm::Error::success();
  }

  llvm::Error check_output(NodeIndex i) const {
    const Node &node = function_.nodes[i];
    if (i + 1 != function_.nodes.size())
      return fail_node(i, "only the last node may be the output");
    for (FieldId field : node.fields)
      if (!contains(function_.outputs, field))
        return fail_node(i, "writes " + quoted(field) +
                                ", which is not a declared output");
    for (FieldId field : function_.outputs)
      if (!contains(node.fields, field))
        return fail_node(i, "does not write declared output " + quoted(field));
    return llvm::Error::success();
  }

  llvm::Error check_tasks() {
    if (function_.tasks.empty())
      return llvm::Error::success();
    if (llvm::Error error = place_nodes())
      return error;
    if (llvm::Error error = check_successors())
      return error;
    if (llvm::Error error = order_tasks())
      return error;
    return check_availability();
  }

  /// Fills task_of_ and position_, checking that each node but the output
  /// is in exactly one task.
  llvm::Error place_nodes() {
    std::size_t n = function_.nodes.size();
    task_of_.assign(n, no_task);
    position_.assign(n, 0);
    for (std::uint32_t t = 0; t < function_.tasks.size(); ++t) {
      const std::vector<NodeIndex> &nodes = function_.tasks[t].nodes;
      for (std::uint32_t k = 0; k < nodes.size(); ++k) {
        NodeIndex node = nodes[k];
        if (node >= n)
          return fail(Site::Task, t,
                      task_name(t) + " lists " + value_name(node, names_) +
                          ", which does not exist");
        if (function_.nodes[node].opcode == Opcode::Output)
          return fail_node(node, "is in " + task_name(t) +
                                     ", but the output is built after all "
                                     "tasks and belongs to none");
        if (task_of_[node] != no_task)
          return fail_node(node, "is in " + task_name(task_of_[node]) +
                                     " and in " + task_name(t));
        task_of_[node] = t;
        position_[node] = k;
      }
    }
    for (NodeIndex i = 0; i + 1 < n; ++i)
      if (task_of_[i] == no_task)
        return fail_node(i, "is in no task");
    return llvm::Error::success();
  }

  /// Successors exist, are distinct and not the task itself; join counts
  /// match the number of predecessors.
  llvm::Error check_successors() const {
    std::vector<std::uint32_t> predecessors(function_.tasks.size(), 0);
    for (std::uint32_t t = 0; t < function_.tasks.size(); ++t) {
      std::unordered_set<std::uint32_t> seen;
      for (std::uint32_t s : function_.tasks[t].successors) {
        std::string edge = task_name(t) + ": successor " + std::to_string(s);
        if (s >= function_.tasks.size())
          return fail(Site::Task, t, edge + " does not exist");
        if (s == t)
          return fail(Site::Task, t, edge + " is the task itself");
        if (!seen.insert(s).second)
          return fail(Site::Task, t, edge + " is listed twice");
        ++predecessors[s];
      }
    }
    for (std::uint32_t t = 0; t < function_.tasks.size(); ++t)
      if (function_.tasks[t].join_count != predecessors[t])
        return fail(Site::Task, t,
                    task_name(t) + ": join count is " +
                        std::to_string(function_.tasks[t].join_count) +
                        " but it has " + std::to_string(predecessors[t]) +
                        " predecessor tasks");
    return llvm::Error::success();
  }

  /// Fills ancestors_ in a topological order of the tasks; a task left
  /// unordered lies on a cycle.
  llvm::Error order_tasks() {
    std::size_t count = function_.tasks.size();
    std::vector<std::uint32_t> waiting(count);
    std::deque<std::uint32_t> ready;
    for (std::uint32_t t = 0; t < count; ++t)
      if ((waiting[t] = function_.tasks[t].join_count) == 0)
        ready.push_back(t);
    ancestors_.assign(count, llvm::BitVector(count));
    std::size_t ordered = 0;
    for (; !ready.empty(); ++ordered) {
      std::uint32_t t = ready.front();
      ready.pop_front();
      for (std::uint32_t s : function_.tasks[t].successors) {
        ancestors_[s] |= ancestors_[t];
        ancestors_[s].set(t);
        if (--waiting[s] == 0)
          ready.push_back(s);
      }
    }
    if (ordered == count)
      return llvm::Error::success();
    auto stuck = static_cast<std::uint32_t>(
        std::find_if(waiting.begin(), waiting.end(),
                     [](std::uint32_t w) { return w != 0; }) -
        waiting.begin());
    return fail(Site::Task, stuck,
                "the tasks form a cycle through " + task_name(stuck));
  }

  /// Each operand is computed before its use on every possible run.
  llvm::Error check_availability() const {
    for (std::uint32_t t = 0; t < function_.tasks.size(); ++t)
      for (NodeIndex node : function_.tasks[t].nodes)
        for (NodeIndex operand : function_.nodes[node].operands) {
          std::uint32_t home = task_of_[operand];
          if (home == t && position_[operand] > position_[node])
            return fail_node(node, "operand " + value_name(operand, names_) +
                                       " comes later in " + task_name(t));
          if (home != t && !ancestors_[t].test(home))
            return fail_node(node, "operand " + value_name(operand, names_) +
                                       " is computed in " + task_name(home) +
                                       ", which need not finish before " +
                                       task_name(t) + " starts");
        }
    return llvm::Error::success();
  }

  llvm::Error check_slots() const {
    std::size_t n = function_.nodes.size();
    if (function_.slots.empty()) {
      if (function_.slot_count != 0)
        return fail(Site::Slots, 0,
                    "slot count is " + std::to_string(function_.slot_count) +
                        " but no node has a slot");
      return llvm::Error::success();
    }
    if (function_.slots.size() != n)
      return fail(Site::Slots, 0,
                  "has " + std::to_string(function_.slots.size()) +
                      " slots for " + std::to_string(n) + " nodes");
    if (function_.slot_count != n)
      return fail(Site::Slots, 0,
                  "slot count is " + std::to_string(function_.slot_count) +
                      " for " + std::to_string(n) +
                      " nodes; slots are dense, one per node");
    std::vector<NodeIndex> owner(n, static_cast<NodeIndex>(n));
    for (NodeIndex i = 0; i < n; ++i) {
      std::uint32_t slot = function_.slots[i];
      if (slot >= n)
        return fail_node(i, "slot " + std::to_string(slot) +
                                " is not below the slot count " +
                                std::to_string(n));
      if (owner[slot] != n)
        return fail_node(i, "shares slot " + std::to_string(slot) + " with " +
                                describe_node(function_, owner[slot], names_));
      owner[slot] = i;
    }
    return llvm::Error::success();
  }

  const Module &module_;
  const Function &function_;
  std::uint32_t graph_;
  std::size_t visible_bodies_;
  /// What the text named the nodes, or null.
  const ValueNames *names_;
  /// Per node: its task (no_task for none) and its position there.
  std::vector<std::uint32_t> task_of_;
  std::vector<std::uint32_t> position_;
  /// Per task: the tasks that finish before it starts.
  std::vector<llvm::BitVector> ancestors_;
};

} // namespace

char VerifierError::ID = 0;

VerifierError::VerifierError(std::string message, Site site,
                             std::uint32_t index, std::uint32_t graph)
    : message_(std::move(message)), site_(site), index_(index), graph_(graph) {}

void VerifierError::log(llvm::raw_ostream &os) const { os << message_; }

std::error_code VerifierError::convertToErrorCode() const {
  return llvm::inconvertibleErrorCode();
}

llvm::Error verify(const Module &module, const ValueNames *names,
                   const std::vector<ValueNames> *body_names) {
  if (llvm::Error error = check_table(module))
    return error;
  for (std::uint32_t b = 0; b < module.bodies.size(); ++b) {
    const ValueNames *names_of_body =
        body_names && b < body_names->size() ? &(*body_names)[b] : nullptr;
    if (llvm::Error error =
            Verifier(module, module.bodies[b], b, b, names_of_body).run())
      return error;
  }
  return Verifier(module, module.function, VerifierError::main_graph,
                  module.bodies.size(), names)
      .run();
}

namespace {

llvm::Error verify_graph_branches(const Function &function, std::uint32_t graph,
                                  std::span<const OperatorPtr> operators) {
  for (NodeIndex i = 0; i < function.nodes.size(); ++i) {
    const Node &node = function.nodes[i];
    if (!has_branches(node.opcode))
      continue;
    std::vector<OperatorPtr> branches;
    for (std::uint32_t branch : node.branches)
      branches.push_back(operators[branch]);
    std::string problem =
        node.opcode == Opcode::Repeat
            ? control_flow::body_cannot_loop(*branches.front(), node.field)
            : control_flow::branches_disagree(branches);
    if (!problem.empty())
      return llvm::make_error<VerifierError>(
          "graph @" + function.name + ": " + describe_node(function, i) +
              ": " + problem,
          Site::Node, i, graph);
  }
  return llvm::Error::success();
}

} // namespace

llvm::Error verify_branches(const Module &module,
                            std::span<const OperatorPtr> operators) {
  for (std::uint32_t b = 0; b < module.bodies.size(); ++b)
    if (llvm::Error error =
            verify_graph_branches(module.bodies[b], b, operators))
      return error;
  return verify_graph_branches(module.function, VerifierError::main_graph,
                               operators);
}

} // namespace xcs::ir
