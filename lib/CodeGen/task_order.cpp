//===- task_order.cpp - Checking a schedule -------------------------------===//

#include "CodeGen/task_order.h"

#include <functional>
#include <queue>
#include <string>

namespace xcs::codegen {
namespace {

llvm::Error schedule_error(const ir::Function &function,
                           const std::string &problem) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "graph @" + function.name +
                                     ": cannot compile the schedule: " +
                                     problem);
}

std::string number(std::size_t n) { return std::to_string(n); }

std::string task_name(std::size_t index) { return "task " + number(index); }

llvm::Error check_slots(const ir::Function &function) {
  if (function.slots.size() != function.nodes.size())
    return schedule_error(function, number(function.slots.size()) +
                                        " slots for " +
                                        number(function.nodes.size()) +
                                        " nodes (were slots assigned?)");
  for (ir::NodeIndex i = 0; i < function.slots.size(); ++i)
    if (function.slots[i] >= function.slot_count)
      return schedule_error(function, ir::value_name(i) + " has slot " +
                                          number(function.slots[i]) + " of " +
                                          number(function.slot_count));
  return llvm::Error::success();
}

llvm::Error check_membership(const ir::Function &function) {
  std::size_t count = function.nodes.size();
  if (count == 0 || function.nodes.back().opcode != ir::Opcode::Output)
    return schedule_error(function, "the last node is not the output");
  // A function of nothing but its output has no tasks.
  if (function.tasks.empty() && count > 1)
    return schedule_error(function, "no tasks (was it scheduled?)");
  std::vector<bool> seen(count, false);
  for (std::size_t t = 0; t < function.tasks.size(); ++t) {
    for (ir::NodeIndex node : function.tasks[t].nodes) {
      if (node >= count)
        return schedule_error(function, task_name(t) + " names " +
                                            ir::value_name(node) + " of " +
                                            number(count) + " nodes");
      if (node == count - 1)
        return schedule_error(function, "the output " + ir::value_name(node) +
                                            " is in " + task_name(t));
      if (seen[node])
        return schedule_error(function,
                              ir::value_name(node) + " is in two tasks");
      seen[node] = true;
    }
  }
  for (ir::NodeIndex i = 0; i + 1 < count; ++i)
    if (!seen[i])
      return schedule_error(function, ir::value_name(i) + " is in no task");
  return llvm::Error::success();
}

llvm::Error check_join_counts(const ir::Function &function) {
  std::size_t count = function.tasks.size();
  std::vector<std::uint32_t> predecessors(count, 0);
  for (std::size_t t = 0; t < count; ++t) {
    for (std::uint32_t successor : function.tasks[t].successors) {
      if (successor >= count)
        return schedule_error(function, task_name(t) + " has successor " +
                                            number(successor) + " of " +
                                            number(count) + " tasks");
      ++predecessors[successor];
    }
  }
  for (std::size_t t = 0; t < count; ++t)
    if (predecessors[t] != function.tasks[t].join_count)
      return schedule_error(function,
                            task_name(t) + " has join count " +
                                number(function.tasks[t].join_count) +
                                " but " + number(predecessors[t]) +
                                " predecessors");
  return llvm::Error::success();
}

/// Kahn's algorithm; the smallest ready index goes first so the order is
/// deterministic.
llvm::Expected<std::vector<std::uint32_t>>
topological_order(const ir::Function &function) {
  std::vector<std::uint32_t> waiting;
  std::priority_queue<std::uint32_t, std::vector<std::uint32_t>,
                      std::greater<>>
      ready;
  for (std::uint32_t t = 0; t < function.tasks.size(); ++t) {
    waiting.push_back(function.tasks[t].join_count);
    if (waiting.back() == 0)
      ready.push(t);
  }
  std::vector<std::uint32_t> order;
  order.reserve(function.tasks.size());
  while (!ready.empty()) {
    std::uint32_t task = ready.top();
    ready.pop();
    order.push_back(task);
    for (std::uint32_t successor : function.tasks[task].successors)
      if (--waiting[successor] == 0)
        ready.push(successor);
  }
  if (order.size() != function.tasks.size())
    return schedule_error(function, "the tasks form a cycle");
  return order;
}

llvm::Error check_operands_first(const ir::Function &function,
                                 const std::vector<std::uint32_t> &order) {
  std::vector<bool> done(function.nodes.size(), false);
  for (std::uint32_t task : order) {
    for (ir::NodeIndex node : function.tasks[task].nodes) {
      for (ir::NodeIndex operand : function.nodes[node].operands)
        if (operand >= done.size() || !done[operand])
          return schedule_error(function, ir::value_name(node) +
                                              " runs before its operand " +
                                              ir::value_name(operand));
      done[node] = true;
    }
  }
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::vector<std::uint32_t>>
task_order(const ir::Function &function) {
  if (llvm::Error error = check_slots(function))
    return error;
  if (llvm::Error error = check_membership(function))
    return error;
  if (llvm::Error error = check_join_counts(function))
    return error;
  llvm::Expected<std::vector<std::uint32_t>> order =
      topological_order(function);
  if (!order)
    return order.takeError();
  if (llvm::Error error = check_operands_first(function, *order))
    return error;
  return order;
}

} // namespace xcs::codegen
