//===- JIT/plan_stages.cpp - The text of each stage of a plan -------------===//

#include "JIT/plan_stages.h"

#include "IR/printer.h"
#include "JIT/expected.h"
#include "JIT/llvm_dump.h"
#include "JIT/trace_listing.h"
#include "xcs/error.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>

namespace xcs {
namespace {

PlanStage parse_plan_stage(std::string_view name, std::string_view source) {
  for (PlanStage stage : all_plan_stages())
    if (plan_stage_name(stage) == name)
      return stage;
  std::string valid;
  for (PlanStage stage : all_plan_stages())
    valid += (valid.empty() ? "" : ",") + std::string(plan_stage_name(stage));
  throw InputError("unknown stage '" + std::string(name) + "' in " +
                   std::string(source) + " (valid stages: " + valid + ")");
}

/// "; strategy: structural (auto: the symbolic run gave the graph)".
std::string strategy_line(const BuiltPlan &plan) {
  return "; strategy: " + std::string(strategy_name(plan.strategy)) + " (" +
         plan.strategy_reason + ")\n";
}

std::string llvm_text(const ir::Module &scheduled, OptLevel level,
                      LlvmStage stage) {
  return take<CompileError>(dump_llvm(scheduled, level, stage));
}

} // namespace

std::string_view plan_stage_name(PlanStage stage) {
  switch (stage) {
  case PlanStage::Trace:
    return "trace";
  case PlanStage::Graph:
    return "graph";
  case PlanStage::Dot:
    return "dot";
  case PlanStage::Ir:
    return "ir";
  case PlanStage::IrOpt:
    return "ir-opt";
  case PlanStage::Llvm:
    return "llvm";
  case PlanStage::LlvmOpt:
    return "llvm-opt";
  case PlanStage::Asm:
    return "asm";
  }
  llvm_unreachable("every stage is named above");
}

const std::vector<PlanStage> &all_plan_stages() {
  static const std::vector<PlanStage> stages{
      PlanStage::Trace, PlanStage::Graph, PlanStage::Dot,
      PlanStage::Ir,    PlanStage::IrOpt, PlanStage::Llvm,
      PlanStage::LlvmOpt, PlanStage::Asm};
  return stages;
}

std::vector<PlanStage> parse_plan_stages(std::string_view list,
                                         std::string_view source) {
  std::vector<PlanStage> stages;
  while (true) {
    std::size_t comma = list.find(',');
    stages.push_back(parse_plan_stage(list.substr(0, comma), source));
    if (comma == list.npos)
      break;
    list.remove_prefix(comma + 1);
  }
  std::ranges::sort(stages);
  // std::unique, not std::ranges::unique: Clang 14 cannot instantiate the
  // subrange the latter returns from libstdc++ 12 (the fuzz preset's
  // compiler).
  stages.erase(std::unique(stages.begin(), stages.end()), stages.end());
  return stages;
}

bool is_discovery_stage(PlanStage stage) {
  return stage == PlanStage::Trace || stage == PlanStage::Graph ||
         stage == PlanStage::Dot;
}

std::string stage_text(PlanStage stage, const BuiltPlan &plan, OptLevel level) {
  switch (stage) {
  case PlanStage::Trace:
    if (!plan.trace.context)
      return plan.trace_listing;
    return strategy_line(plan) + list_trace(plan.trace);
  case PlanStage::Graph:
    return strategy_line(plan) + plan.graph.to_text();
  case PlanStage::Dot:
    return plan.graph.to_dot();
  case PlanStage::Ir:
    return ir::print(plan.lowered);
  case PlanStage::IrOpt:
    return ir::print(plan.scheduled);
  case PlanStage::Llvm:
    return llvm_text(plan.scheduled, level, LlvmStage::Emitted);
  case PlanStage::LlvmOpt:
    return llvm_text(plan.scheduled, level, LlvmStage::Optimized);
  case PlanStage::Asm:
    return llvm_text(plan.scheduled, level, LlvmStage::Assembly);
  }
  llvm_unreachable("every stage is handled above");
}

} // namespace xcs
