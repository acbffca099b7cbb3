//===- plan_builder.cpp - From an operator to a compiled plan -------------===//

#include "JIT/plan_builder.h"

#include "Core/mapped_operator.h"
#include "IR/lower.h"
#include "IR/passes.h"
#include "IR/verifier.h"
#include "JIT/expected.h"
#include "xcs/control_flow.h"
#include "xcs/error.h"
#include "xcs/graph_builder.h"
#include "xcs/jit.h"

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

/// Discovers the graph of \p op for \p input by running it on symbols.
/// Throws when the run or the graph built from it fails, in any way.
void discover_structurally(const OperatorPtr &op, const Record &input,
                           BuiltPlan &plan) {
  plan.trace = trace(*op, input, TraceMode::Symbolic);
  // Glue may have swallowed the CompileError that gave the run up.
  if (std::string failure = plan.trace.context->symbolic_failure();
      !failure.empty())
    throw CompileError("structural: " + failure);
  plan.graph = AutoGraphBuilder().build(plan.trace, op->name());
  plan.strategy = Strategy::Structural;
}

/// Discovers the graph of \p op for \p input by running it for real; the
/// call's exceptions propagate unchanged.
void discover_by_tracing(const OperatorPtr &op, const Record &input,
                         BuiltPlan &plan) {
  Clock::time_point start = Clock::now();
  plan.trace = trace(*op, input);
  plan.traced_call_time = Clock::now() - start;
  plan.traced_output = plan.trace.output;
  plan.graph = AutoGraphBuilder().build(plan.trace, op->name());
  plan.strategy = Strategy::Trace;
}

/// Auto's structural attempt: "" when it gave the graph, else why not. Any
/// failure counts, and so does glue that threw on symbols: the plan would
/// raise that only when run, a traced call raises it where the eager call
/// does.
std::string try_structurally(const OperatorPtr &op, const Record &input,
                             BuiltPlan &plan) {
  try {
    discover_structurally(op, input, plan);
  } catch (...) {
    return describe(std::current_exception());
  }
  return plan.trace.context->symbolic_error();
}

void discover(const OperatorPtr &op, const Record &input, Strategy strategy,
              BuiltPlan &plan) {
  Clock::time_point start = Clock::now();
  switch (strategy) {
  case Strategy::Trace:
    discover_by_tracing(op, input, plan);
    plan.strategy_reason = "trace: requested";
    break;
  case Strategy::Structural:
    try {
      discover_structurally(op, input, plan);
    } catch (const CompileError &) {
      throw;
    } catch (...) {
      throw CompileError("structural: " + describe(std::current_exception()));
    }
    plan.strategy_reason = "structural: requested";
    break;
  case Strategy::Auto:
    if (std::string why = try_structurally(op, input, plan); !why.empty()) {
      discover_by_tracing(op, input, plan);
      plan.strategy_reason =
          "auto: structural failed (" + why + "), traced instead";
    } else {
      plan.strategy_reason = "auto: the symbolic run gave the graph";
    }
    break;
  }
  plan.trace_time = Clock::now() - start;
}

/// Replaces the Composite branches of \p module's structured nodes in
/// \p operators by jit operators with \p options, and a mapped call of a
/// Composite element (xcs::vmap) by the same mapping of the element's jit
/// operator (build_plan()).
void compile_branches(const ir::Module &module,
                      std::vector<OperatorPtr> &operators,
                      const JitOptions &options) {
  std::vector<bool> replaced(operators.size(), false);
  auto is_composite = [](const OperatorPtr &op) {
    return dynamic_cast<const Composite *>(op.get()) != nullptr;
  };
  for (const ir::Node &node : module.function.nodes) {
    for (std::uint32_t branch : node.branches) {
      if (replaced[branch] || !is_composite(operators[branch]))
        continue;
      operators[branch] = jit(operators[branch], options);
      replaced[branch] = true;
    }
    if (node.opcode != ir::Opcode::Call || replaced[node.op])
      continue;
    const auto *mapped =
        dynamic_cast<const MappedOperator *>(operators[node.op].get());
    if (mapped && is_composite(mapped->element())) {
      operators[node.op] =
          mapped->with_element(jit(mapped->element(), options));
      replaced[node.op] = true;
    }
  }
}

} // namespace

PlanShape plan_shape(const XCSGraph &graph) {
  PlanShape shape;
  std::vector<const XCSNode *> nodes = graph.operator_nodes();
  for (const XCSNode *node : nodes) {
    shape.opaque_nodes += !node->opaque_reason.empty();
    shape.structured_nodes +=
        dynamic_cast<const StructuredOperator *>(node->op.get()) != nullptr;
  }
  if (nodes.size() != 1 || nodes.front()->opaque_reason.empty())
    return shape;
  const std::string &reason = nodes.front()->opaque_reason;
  std::string hint =
      reason.find("exception") != std::string::npos
          ? "write the try/catch as ops::fallback(primary, on_error)"
      : reason.find("reads the content") != std::string::npos
          ? "write a choice by value as ops::cond or ops::switch_on, a "
            "loop as ops::repeat_until"
          : "route values only (docs/tracing.md), or use the structured "
            "operators ops::cond, ops::switch_on, ops::fallback, "
            "ops::repeat_until for control flow";
  shape.note = "the plan is one opaque node '" + nodes.front()->op->name() +
               "', so jit runs its children one after another inside it (" +
               reason + "); to flatten it, " + hint;
  return shape;
}

OptLevel engine_level(OptimizationLevel level) {
  return level == OptimizationLevel::O2 ? OptLevel::O2 : OptLevel::O0;
}

BuiltPlan build_plan(const OperatorPtr &op, const Record &input,
                     Strategy strategy, OptLevel level, bool compile,
                     const JitOptions *branch_options) {
  BuiltPlan plan;
  discover(op, input, strategy, plan);
  Clock::time_point start = Clock::now();
  collect_guards(*plan.trace.context, plan.trace.root, plan.guards);
  plan.lowered = take<CompileError>(ir::lower(plan.graph, plan.operators));
  if (branch_options)
    compile_branches(plan.lowered, plan.operators, *branch_options);
  plan.scheduled = plan.lowered;
  ir::run_default_pipeline(plan.scheduled);
  if (llvm::Error error = ir::verify(plan.scheduled))
    throw CompileError(llvm::toString(std::move(error)));
  if (compile)
    plan.compiled = take<CompileError>(xcs::compile(plan.scheduled, plan.operators, level));
  plan.compile_time = Clock::now() - start;
  return plan;
}

} // namespace xcs
