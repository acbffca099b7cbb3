//===- Driver/sections.cpp - What xcs-jit-dump prints ---------------------===//

#include "Driver/sections.h"

#include "xcs/error.h"
#include "xcs/metrics.h"

#include <ostream>

namespace xcs {

void SectionWriter::write(std::string_view name, std::string_view text) {
  if (!bare_)
    out_ << "; == " << name << " ==\n";
  out_ << text;
  if (!text.ends_with('\n'))
    out_ << '\n';
}

std::string stage_text(PlanStage stage, const DumpPlan &dump, OptLevel level) {
  if (is_discovery_stage(stage) && !dump.discovered())
    throw InputError("stage '" + std::string(plan_stage_name(stage)) +
                     "' needs a discovered graph");
  return xcs::stage_text(stage, dump.plan, level);
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
  }
  return JitPerformanceMetrics::format(report);
}

} // namespace xcs
