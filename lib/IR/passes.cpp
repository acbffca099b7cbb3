//===- passes.cpp - Node removal passes, slots and the pipeline -----------===//
//
// schedule() lives in schedule.cpp.
//
//===----------------------------------------------------------------------===//

#include "IR/passes.h"

#include <functional>
#include <limits>
#include <queue>
#include <unordered_map>

namespace xcs::ir {
namespace {

/// The stand-in of a removed node that has no users left.
constexpr NodeIndex unused = std::numeric_limits<NodeIndex>::max();

/// Keeps the nodes i with stand_in[i] == i, in order, and points every use
/// of another node at its stand-in, an earlier kept node. Renumbers operands
/// and drops the schedule and slots.
void keep_stand_ins(Function &function,
                    const std::vector<NodeIndex> &stand_in) {
  std::vector<NodeIndex> renumbered(function.nodes.size());
  std::vector<Node> kept;
  for (NodeIndex i = 0; i < function.nodes.size(); ++i) {
    if (stand_in[i] != i)
      continue;
    renumbered[i] = static_cast<NodeIndex>(kept.size());
    Node &node = kept.emplace_back(std::move(function.nodes[i]));
    for (NodeIndex &operand : node.operands)
      operand = renumbered[stand_in[operand]];
  }
  function.nodes = std::move(kept);
  function.tasks.clear();
  function.slots.clear();
  function.slot_count = 0;
}

/// A get's identity: what it reads from and where.
struct GetKey {
  NodeIndex operand;
  const Path *path;
  friend bool operator==(const GetKey &a, const GetKey &b) {
    return a.operand == b.operand && *a.path == *b.path;
  }
};

struct GetKeyHash {
  std::size_t operator()(const GetKey &key) const {
    std::size_t hash = std::hash<NodeIndex>()(key.operand);
    for (const Path::Step &step : key.path->steps())
      hash = hash * 31 + (step.is_index() ? step.index : step.field.index());
    return hash;
  }
};

} // namespace

void eliminate_dead_nodes(Function &function) {
  std::vector<bool> live(function.nodes.size(), false);
  // Operands precede their users, so one backward sweep sees every user of
  // a node before the node itself.
  for (NodeIndex i = static_cast<NodeIndex>(function.nodes.size()); i-- > 0;) {
    const Node &node = function.nodes[i];
    if (!live[i] && !always_live(node.opcode))
      continue;
    live[i] = true;
    for (NodeIndex operand : node.operands)
      live[operand] = true;
  }
  std::vector<NodeIndex> stand_in(function.nodes.size());
  for (NodeIndex i = 0; i < function.nodes.size(); ++i)
    stand_in[i] = live[i] ? i : unused;
  keep_stand_ins(function, stand_in);
}

void merge_duplicate_gets(Function &function) {
  std::vector<NodeIndex> stand_in(function.nodes.size());
  std::unordered_map<GetKey, NodeIndex, GetKeyHash> gets;
  std::unordered_map<FieldId, NodeIndex> inputs;
  for (NodeIndex i = 0; i < function.nodes.size(); ++i) {
    const Node &node = function.nodes[i];
    stand_in[i] = i;
    // Operands are looked up through their stand-ins, so a get of a merged
    // get merges too.
    if (node.opcode == Opcode::Get)
      stand_in[i] =
          gets.try_emplace(GetKey{stand_in[node.operands[0]], &node.path}, i)
              .first->second;
    else if (node.opcode == Opcode::Input)
      stand_in[i] = inputs.try_emplace(node.field, i).first->second;
  }
  keep_stand_ins(function, stand_in);
}

void order_routing_early(Function &function) {
  std::size_t count = function.nodes.size();
  // Per node: operands not placed yet, and the nodes that use it.
  std::vector<std::uint32_t> waiting(count);
  std::vector<std::vector<NodeIndex>> users(count);
  for (NodeIndex i = 0; i < count; ++i)
    for (NodeIndex operand : function.nodes[i].operands) {
      ++waiting[i];
      users[operand].push_back(i);
    }
  std::vector<NodeIndex> order;
  order.reserve(count);
  // Routing nodes whose operands are all placed, smallest index first.
  std::priority_queue<NodeIndex, std::vector<NodeIndex>, std::greater<>> ready;
  auto place = [&](NodeIndex node) {
    order.push_back(node);
    for (NodeIndex user : users[node])
      if (--waiting[user] == 0 && !always_live(function.nodes[user].opcode))
        ready.push(user);
  };
  auto place_ready_routing = [&] {
    while (!ready.empty()) {
      NodeIndex next = ready.top();
      ready.pop();
      place(next);
    }
  };
  for (NodeIndex i = 0; i < count; ++i)
    if (!always_live(function.nodes[i].opcode) && waiting[i] == 0)
      ready.push(i);
  // Calls, checks and the output keep their order; before each, every
  // routing node that can go goes (its operands precede it, so it can).
  for (NodeIndex i = 0; i < count; ++i) {
    if (!always_live(function.nodes[i].opcode))
      continue;
    place_ready_routing();
    place(i);
  }
  place_ready_routing();
  std::vector<NodeIndex> renumbered(count);
  for (NodeIndex i = 0; i < count; ++i)
    renumbered[order[i]] = i;
  std::vector<Node> nodes;
  nodes.reserve(count);
  for (NodeIndex old : order) {
    Node &node = nodes.emplace_back(std::move(function.nodes[old]));
    for (NodeIndex &operand : node.operands)
      operand = renumbered[operand];
  }
  function.nodes = std::move(nodes);
  function.tasks.clear();
  function.slots.clear();
  function.slot_count = 0;
}

void assign_slots(Function &function) {
  function.slots.resize(function.nodes.size());
  for (NodeIndex i = 0; i < function.nodes.size(); ++i)
    function.slots[i] = i;
  function.slot_count = static_cast<std::uint32_t>(function.nodes.size());
}

void for_each_graph(Module &module,
                    const std::function<void(Function &)> &pass) {
  for (Function &body : module.bodies)
    pass(body);
  pass(module.function);
}

void run_default_pipeline(Module &module) {
  for_each_graph(module, [](Function &function) {
    eliminate_dead_nodes(function);
    merge_duplicate_gets(function);
    order_routing_early(function);
    schedule(function);
    assign_slots(function);
  });
}

namespace {

struct NamedPass {
  std::string_view name;
  std::function<void(Module &)> run;
};

const std::vector<NamedPass> &named_passes() {
  static const std::vector<NamedPass> passes = {
      {"eliminate-dead-nodes",
       [](Module &m) { for_each_graph(m, eliminate_dead_nodes); }},
      {"merge-duplicate-gets",
       [](Module &m) { for_each_graph(m, merge_duplicate_gets); }},
      {"order-routing-early",
       [](Module &m) { for_each_graph(m, order_routing_early); }},
      {"schedule", [](Module &m) { for_each_graph(m, schedule); }},
      {"assign-slots", [](Module &m) { for_each_graph(m, assign_slots); }},
      {"default", run_default_pipeline}};
  return passes;
}

} // namespace

const std::vector<std::string_view> &pass_names() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> result;
    for (const NamedPass &pass : named_passes())
      result.push_back(pass.name);
    return result;
  }();
  return names;
}

llvm::Error run_pass(Module &module, std::string_view name) {
  for (const NamedPass &pass : named_passes())
    if (pass.name == name) {
      pass.run(module);
      return llvm::Error::success();
    }
  std::string known;
  for (std::string_view known_name : pass_names())
    known += (known.empty() ? "" : ", ") + std::string(known_name);
  return llvm::createStringError("unknown pass '" + std::string(name) +
                                 "' (known passes: " + known + ")");
}

} // namespace xcs::ir
