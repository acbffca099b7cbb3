//===- JIT/plan_builder.h - From an operator to a compiled plan -*- C++ -*-===//
///
/// \file
/// Builds a plan for one operator and one input by a strategy: discover the
/// graph (by tracing or by a symbolic run), lower it to the routing IR, run
/// the passes and compile. Every intermediate result is kept, so xcs::jit
/// and the xcs-jit-dump tool share one driver and the tool can print any
/// stage of it.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "JIT/compiled_graph.h"
#include "xcs/graph.h"
#include "xcs/jit.h"
#include "xcs/trace.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace xcs {

/// A flattened composite's state when its plan was built. The plan is valid
/// only while the signature is unchanged (its glue is compiled in).
struct StateGuard {
  OperatorPtr op;
  const StateDependency *state = nullptr;
  std::uint64_t signature = 0;

  bool holds() const { return state->state_signature() == signature; }
};

struct BuiltPlan {
  /// The strategy that produced the graph and why it was chosen.
  Strategy strategy = Strategy::Trace;
  std::string strategy_reason;
  Trace trace;
  /// The trace stage's text, once `trace` has let its context go: a live
  /// tracing context makes every call in the process look for traced
  /// values among its inputs, so a plan kept for its stages keeps this.
  std::string trace_listing;
  /// Trace strategy: the real result of the traced call.
  std::optional<Record> traced_output;
  XCSGraph graph{"plan"};
  std::vector<OperatorPtr> operators;
  /// Per body graph of the module: the composite it was lowered from, which
  /// its compiled plan is named after and recovers (compile()).
  std::vector<OperatorPtr> body_elements;
  ir::Module lowered;
  ir::Module scheduled;
  std::optional<CompiledGraph> compiled;
  std::vector<StateGuard> guards;
  /// Discovery, including the traced call when there is one.
  std::chrono::nanoseconds trace_time{0};
  /// Trace strategy: how long the traced call (which ran the pipeline for
  /// real and gave traced_output) took.
  std::chrono::nanoseconds traced_call_time{0};
  std::chrono::nanoseconds compile_time{0};
};

/// What a plan's graph gives: how many of its nodes are opaque composites
/// (they run their children one after another inside) and structured
/// operators, and, when the whole plan is one opaque node, a note saying
/// so, why, and which structured operator would let it flatten.
struct PlanShape {
  std::int64_t opaque_nodes = 0;
  std::int64_t structured_nodes = 0;
  std::string note;
};
PlanShape plan_shape(const XCSGraph &graph);

/// Builds the plan of \p op for \p input. Trace runs \p op for real (its
/// exceptions propagate unchanged); Structural fails with a CompileError
/// giving the reason when the symbolic run, or the graph built from it,
/// fails in any way; Auto tries Structural, then Trace, which it also
/// takes when glue threw on symbols (TracerContext::symbolic_error()).
/// Without \p compile the plan stops after the passes (the tool's
/// interpreter and IR dumps need no machine code).
///
/// A call of a mapped operator (xcs::vmap) whose element is a Composite
/// becomes a map node whose body is the element's plan, discovered
/// structurally (for a sample input of the element's kinds: the symbolic
/// run reads no value), so the element is compiled once whatever the
/// lists' lengths; its own mapped calls become map nodes in turn. When
/// the symbolic run cannot give the element's graph, or the element has
/// state, the body calls the element (through a jit operator with
/// \p branch_options, when given), whose plan is then built on the first
/// element; an element with optional outputs leaves the call a call.
///
/// With \p branch_options, every branch of a structured node that is a
/// Composite is replaced in the plan's operator table by a jit operator
/// over it with those options: its insides are a subgraph of their own,
/// flattened and run in parallel where independent, and the jit operator
/// gives its eager outcome as every jit operator does.
BuiltPlan build_plan(const OperatorPtr &op, const Record &input,
                     Strategy strategy, OptLevel level, bool compile = true,
                     const JitOptions *branch_options = nullptr);

/// The engine level of a public optimization level.
OptLevel engine_level(OptimizationLevel level);

} // namespace xcs
