//===- Driver/sections.cpp - What xcs-jit-dump prints ---------------------===//

#include "Driver/sections.h"

#include "Driver/expected.h"
#include "Driver/trace_listing.h"
#include "IR/printer.h"
#include "JIT/llvm_dump.h"
#include "xcs/error.h"
#include "xcs/metrics.h"

#include "llvm/Support/ErrorHandling.h"

#include <ostream>

namespace xcs {
namespace {

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

void print_section(std::ostream &out, std::string_view name,
                   std::string_view text) {
  out << "; == " << name << " ==\n" << text;
  if (!text.ends_with('\n'))
    out << '\n';
}

std::string stage_text(Stage stage, const DumpPlan &dump, OptLevel level) {
  const BuiltPlan &plan = dump.plan;
  if (is_discovery_stage(stage) && !dump.discovered())
    throw InputError("stage '" + std::string(stage_name(stage)) +
                     "' needs a discovered graph");
  switch (stage) {
  case Stage::Trace:
    return strategy_line(plan) + list_trace(plan.trace);
  case Stage::Graph:
    return strategy_line(plan) + plan.graph.to_text();
  case Stage::Dot:
    return plan.graph.to_dot();
  case Stage::Ir:
    return ir::print(plan.lowered);
  case Stage::IrOpt:
    return ir::print(plan.scheduled);
  case Stage::Llvm:
    return llvm_text(plan.scheduled, level, LlvmStage::Emitted);
  case Stage::LlvmOpt:
    return llvm_text(plan.scheduled, level, LlvmStage::Optimized);
  case Stage::Asm:
    return llvm_text(plan.scheduled, level, LlvmStage::Assembly);
  }
  llvm_unreachable("every stage is handled above");
}

std::string metrics_text(const DumpPlan &dump,
                         std::optional<std::chrono::nanoseconds> execution) {
  const BuiltPlan &plan = dump.plan;
  // The tool's run is one call of a jit operator with an empty cache: the
  // plan is built (a miss), then it runs once.
  Record report{{"calls", execution ? 1 : 0},
                {"misses", 1},
                {"trace_ns", plan.trace_time.count()},
                {"compile_ns", plan.compile_time.count()},
                {"execution_ns",
                 execution.value_or(std::chrono::nanoseconds(0)).count()}};
  if (dump.discovered()) {
    report.set("strategy", std::string(strategy_name(plan.strategy)));
    report.set("strategy_reason", plan.strategy_reason);
    PlanShape shape = plan_shape(plan.graph);
    report.set("opaque_nodes", shape.opaque_nodes);
    report.set("structured_nodes", shape.structured_nodes);
    if (!shape.note.empty())
      report.set("plan_note", shape.note);
  }
  return JitPerformanceMetrics::format(report);
}

} // namespace xcs
