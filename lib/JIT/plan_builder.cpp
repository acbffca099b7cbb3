//===- plan_builder.cpp - From an operator to a compiled plan -------------===//

#include "JIT/plan_builder.h"

#include "IR/lower.h"
#include "IR/passes.h"
#include "IR/verifier.h"
#include "xcs/error.h"
#include "xcs/graph_builder.h"

namespace xcs {
namespace {

using Clock = std::chrono::steady_clock;

/// Guards for every flattened composite under \p call that has state, and
/// for the objects its state depends on, with the signatures the call
/// started with: read now, they could name a state that another thread set
/// after the glue ran, and pass the plan of the old state off as the new.
void collect_guards(const TracerContext &context, CallId call,
                    std::vector<StateGuard> &guards) {
  const TraceRecord &record = context.record(call);
  if (!record.flattenable())
    return;
  for (const auto &[op, signature] : record.state_signatures)
    guards.push_back(StateGuard{
        op, dynamic_cast<const StateDependency *>(op.get()), signature});
  for (CallId child : record.children)
    collect_guards(context, child, guards);
}

/// Runs the symbolic discovery; false (with the reason) when it cannot give
/// the graph.
bool discover_structurally(const OperatorPtr &op, const Record &input,
                           BuiltPlan &plan, std::string &why) {
  try {
    plan.trace = trace(*op, input, TraceMode::Symbolic);
  } catch (const CompileError &e) {
    why = e.what();
    return false;
  }
  why = plan.trace.context->symbolic_failure();
  return why.empty();
}

void discover(const OperatorPtr &op, const Record &input, Strategy strategy,
              BuiltPlan &plan) {
  Clock::time_point start = Clock::now();
  std::string why;
  if (strategy != Strategy::Trace &&
      discover_structurally(op, input, plan, why)) {
    plan.strategy = Strategy::Structural;
    plan.strategy_reason = strategy == Strategy::Auto
                               ? "auto: the symbolic run gave the graph"
                               : "structural: requested";
  } else if (strategy == Strategy::Structural) {
    throw CompileError(why);
  } else {
    plan.trace = trace(*op, input);
    plan.traced_output = plan.trace.output;
    plan.strategy = Strategy::Trace;
    plan.strategy_reason = strategy == Strategy::Auto
                               ? "auto: structural failed (" + why +
                                     "), traced instead"
                               : "trace: requested";
  }
  plan.trace_time = Clock::now() - start;
}

template <typename T> T take(llvm::Expected<T> value) {
  if (!value)
    throw CompileError(llvm::toString(value.takeError()));
  return std::move(*value);
}

} // namespace

OptLevel engine_level(OptimizationLevel level) {
  return level == OptimizationLevel::O2 ? OptLevel::O2 : OptLevel::O0;
}

BuiltPlan build_plan(const OperatorPtr &op, const Record &input,
                     Strategy strategy, OptLevel level, bool compile) {
  BuiltPlan plan;
  discover(op, input, strategy, plan);
  Clock::time_point start = Clock::now();
  plan.graph = AutoGraphBuilder().build(plan.trace, op->name());
  collect_guards(*plan.trace.context, plan.trace.root, plan.guards);
  plan.lowered = take(ir::lower(plan.graph, plan.operators));
  plan.scheduled = plan.lowered;
  ir::run_default_pipeline(plan.scheduled);
  if (llvm::Error error = ir::verify(plan.scheduled))
    throw CompileError(llvm::toString(std::move(error)));
  if (compile)
    plan.compiled = take(xcs::compile(plan.scheduled, plan.operators, level));
  plan.compile_time = Clock::now() - start;
  return plan;
}

} // namespace xcs
