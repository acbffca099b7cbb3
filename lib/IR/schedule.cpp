//===- schedule.cpp - The task DAG of a function --------------------------===//
//
// Nodes are placed as early as their operands allow: with the latest task
// they depend on. Calls always start a task of their own, so two calls that
// do not depend on each other never share one and may run concurrently.
// So do checks: then a task fails only at its calls and checks, and every
// node of a task after the one that failed depends on it, which lets a
// failed run report the error of the earliest failing node
// (Runtime/task_plan.h).
// Tasks are created after their predecessors, so creation order is a
// topological order, and each new task's predecessors are only the latest
// of the tasks it depends on, so the DAG carries no implied edges. Since
// node order is the eager call's order, so is creation order: a serial
// run goes through tasks in it, and chain fusion keeps it.
// An asynchronous call (`call async`) ends its task: the task suspends
// there until the call completes, so what reads the call's record goes to
// tasks after it.
//
//===----------------------------------------------------------------------===//

#include "IR/passes.h"

#include "llvm/ADT/BitVector.h"

#include <algorithm>
#include <optional>

namespace xcs::ir {
namespace {

/// A task while the DAG is being built and fused.
struct Draft {
  std::vector<NodeIndex> nodes;
  std::vector<std::uint32_t> predecessors;
  std::vector<std::uint32_t> successors;
  bool absorbed = false;
  /// Ends with an asynchronous call: the task suspends there, so nothing
  /// may follow the call in it.
  bool suspends = false;
};

class Scheduler {
public:
  explicit Scheduler(Function &function)
      : function_(function), home_(function.nodes.size()) {}

  void run() {
    for (NodeIndex i = 0; i < function_.nodes.size(); ++i)
      if (function_.nodes[i].opcode != Opcode::Output)
        place(i);
    fuse_chains();
    emit();
  }

private:
  void place(NodeIndex i) {
    const Node &node = function_.nodes[i];
    std::vector<std::uint32_t> latest = latest_homes(node);
    std::uint32_t home;
    if (starts_task(node.opcode) || latest.size() > 1 ||
        (latest.size() == 1 && drafts_[latest.front()].suspends))
      home = new_task(std::move(latest));
    else if (latest.empty())
      home = root();
    else
      home = latest.front();
    home_[i] = home;
    drafts_[home].nodes.push_back(i);
    drafts_[home].suspends = node.opcode == Opcode::Call && node.async;
  }

  /// The tasks of \p node's operands that no other of them must precede.
  std::vector<std::uint32_t> latest_homes(const Node &node) const {
    std::vector<std::uint32_t> homes;
    for (NodeIndex operand : node.operands)
      homes.push_back(home_[operand]);
    std::sort(homes.begin(), homes.end());
    homes.erase(std::unique(homes.begin(), homes.end()), homes.end());
    // One union rather than a test per pair: a list of ten thousand
    // members' outputs would otherwise take 10^8 tests.
    llvm::BitVector preceded(function_.nodes.size());
    for (std::uint32_t home : homes)
      preceded |= ancestors_[home];
    std::vector<std::uint32_t> latest;
    for (std::uint32_t home : homes)
      if (!preceded.test(home))
        latest.push_back(home);
    return latest;
  }

  std::uint32_t new_task(std::vector<std::uint32_t> predecessors) {
    auto task = static_cast<std::uint32_t>(drafts_.size());
    // A function has at most one task per node.
    llvm::BitVector ancestors(function_.nodes.size());
    for (std::uint32_t p : predecessors) {
      ancestors |= ancestors_[p];
      ancestors.set(p);
      drafts_[p].successors.push_back(task);
    }
    ancestors_.push_back(std::move(ancestors));
    drafts_.push_back(Draft{{}, std::move(predecessors), {}, false});
    return task;
  }

  /// The task of the nodes that depend on nothing (input, const, empty
  /// list or record): it runs first, feeding every task that needs them.
  std::uint32_t root() {
    if (!root_)
      root_ = new_task({});
    return *root_;
  }

  /// Merges each task's sole successor into it while that successor has no
  /// other predecessor and no call or check would run out of eager order.
  /// Visiting in topological order fuses every such chain whole: fusing
  /// never changes the predecessors of the task that absorbs.
  void fuse_chains() {
    for (std::uint32_t a = 0; a < drafts_.size(); ++a) {
      Draft &head = drafts_[a];
      if (head.absorbed)
        continue;
      while (!head.suspends && head.successors.size() == 1 &&
             drafts_[head.successors.front()].predecessors.size() == 1 &&
             keeps_eager_order(a, head.successors.front())) {
        std::uint32_t b = head.successors.front();
        Draft &next = drafts_[b];
        head.nodes.insert(head.nodes.end(), next.nodes.begin(),
                          next.nodes.end());
        head.successors = std::move(next.successors);
        head.suspends = next.suspends;
        for (std::uint32_t s : head.successors)
          std::replace(drafts_[s].predecessors.begin(),
                       drafts_[s].predecessors.end(), b, a);
        next.absorbed = true;
      }
    }
  }

  /// Whether task \p b may be fused into task \p a, which precedes it.
  /// A serial run runs tasks in index order, which is node order, so calls
  /// and checks run in the order of the eager call; fusing moves \p b's
  /// nodes to \p a's place, so it may not pass a task of its own with a
  /// call or a check in between: a serial run would make a call the eager
  /// call makes later, and when the one in between fails, a call the
  /// eager call never makes. (A pure node may run early: its failure only
  /// ends the run sooner, and recovery runs the rest as eager does.)
  bool keeps_eager_order(std::uint32_t a, std::uint32_t b) const {
    for (std::uint32_t t = a + 1; t < b; ++t) {
      const Draft &between = drafts_[t];
      if (between.absorbed)
        continue;
      if (starts_task(function_.nodes[between.nodes.front()].opcode))
        return false;
    }
    return true;
  }

  void emit() {
    std::vector<std::uint32_t> number(drafts_.size());
    std::uint32_t count = 0;
    for (std::uint32_t d = 0; d < drafts_.size(); ++d)
      if (!drafts_[d].absorbed)
        number[d] = count++;
    function_.tasks.clear();
    for (Draft &draft : drafts_) {
      if (draft.absorbed)
        continue;
      Task &task = function_.tasks.emplace_back();
      // Node order is a topological order, so it is a valid order within
      // a task too.
      std::sort(draft.nodes.begin(), draft.nodes.end());
      task.nodes = std::move(draft.nodes);
      for (std::uint32_t s : draft.successors)
        task.successors.push_back(number[s]);
      std::sort(task.successors.begin(), task.successors.end());
      task.join_count = static_cast<std::uint32_t>(draft.predecessors.size());
    }
  }

  Function &function_;
  /// Per node: the draft task it was placed in.
  std::vector<std::uint32_t> home_;
  std::vector<Draft> drafts_;
  /// Per draft task: the tasks that finish before it starts.
  std::vector<llvm::BitVector> ancestors_;
  std::optional<std::uint32_t> root_;
};

} // namespace

void schedule(Function &function) { Scheduler(function).run(); }

} // namespace xcs::ir
