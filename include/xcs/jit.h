//===- xcs/jit.h - Compiling composites into plans --------------*- C++ -*-===//
///
/// \file
/// xcs::jit(op) returns an operator that computes what `op` computes, through
/// a compiled plan: the dataflow of `op`'s children, lowered to the routing
/// IR, compiled with LLVM ORC and cached. A plan never replays a recorded
/// output and never drops computation: every leaf runs on every call, and a
/// composite whose glue is not pure routing stays one node that runs its real
/// forward (docs/tracing.md). docs/jit.md describes strategies and caching.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xcs {

/// How a plan's graph is discovered.
enum class Strategy {
  /// Run the composite for real once while tracing; that call returns the
  /// real result and the plan serves the calls after it.
  Trace,
  /// Run the composite's forward on symbolic values: children are not
  /// executed, so building the plan runs no operator. Fails (cleanly, with
  /// the reason) when glue reads a value or when a child is neither a
  /// declared leaf (StructureDependency) nor a Composite.
  Structural,
  /// Structural when it succeeds, else Trace.
  Auto
};

/// "trace", "structural", "auto".
std::string_view strategy_name(Strategy strategy);
/// Parses a strategy name; InputError listing the valid names otherwise.
Strategy parse_strategy(std::string_view name);

enum class OptimizationLevel { O0, O2 };

/// A stage of building a plan, in pipeline order: what XCS_DUMP writes and
/// `xcs-jit-dump --print` prints (docs/xcs-jit-dump.md shows each).
enum class PlanStage {
  Trace,   ///< The calls recorded while discovering the graph.
  Graph,   ///< The dataflow graph as text.
  Dot,     ///< The dataflow graph as Graphviz DOT.
  Ir,      ///< The routing IR as lowered.
  IrOpt,   ///< The routing IR after the passes, scheduled.
  Llvm,    ///< The LLVM IR as emitted.
  LlvmOpt, ///< The LLVM IR after the level's optimization pipeline.
  Asm,     ///< The machine code, as assembly.
};

/// "trace", "graph", "dot", "ir", "ir-opt", "llvm", "llvm-opt", "asm".
std::string_view plan_stage_name(PlanStage stage);
/// Every stage, in pipeline order.
const std::vector<PlanStage> &all_plan_stages();
/// Parses a comma-separated list of stage names ("ir-opt,asm") into the
/// stages it names, in pipeline order, each once. InputError naming the
/// unknown stage, \p source (where the list came from: "--print",
/// "XCS_DUMP") and the valid names.
std::vector<PlanStage> parse_plan_stages(std::string_view list,
                                         std::string_view source);

/// Where a jit operator writes the stages of each plan it builds: one file
/// per stage and plan in `directory` (created if missing), named by the
/// operator and a hash of the plan, `Diamond.5f0c2e9a1b7d3c48.ir-opt.xcs`
/// (extensions: .txt for trace and graph, .dot, .xcs, .ll, .s). A stage
/// that cannot be written is logged as an error; the call goes on.
struct PlanDump {
  /// None: no dump.
  std::vector<PlanStage> stages{};
  std::string directory{};
};

/// Whether a call's independent nodes run on several threads.
enum class Parallelism {
  /// Parallel, except for a plan whose recent runs were too cheap to gain
  /// from other threads (docs/execution.md, "Serial runs"); a plan with
  /// asynchronous calls never counts as cheap.
  Auto,
  /// Always parallel, up to `workers` threads: for operators that wait for
  /// each other (members meeting at a barrier), which a serial run would
  /// deadlock.
  Always,
  /// Always serial, on the calling thread (asynchronous calls still
  /// overlap: they hold no thread).
  Never
};

struct JitOptions {
  Strategy strategy = Strategy::Auto;
  /// Re-trace (and recompile) on every call: every call runs for real
  /// under the tracer. For debugging plans; slow.
  bool force_trace = false;
  OptimizationLevel optimization = OptimizationLevel::O0;
  /// Threads that may run a plan's independent nodes at once, the calling
  /// thread included: 1 runs every call on the caller alone; 0 picks
  /// default_workers(). docs/execution.md discusses sizing.
  unsigned workers = 0;
  Parallelism parallelism = Parallelism::Auto;
  /// Plans kept for one jit operator (one per state signature and input
  /// shape), and for all jit operators together. Past either bound the
  /// least recently used plan is evicted; a call that finds no room runs
  /// eagerly.
  std::size_t max_plans_per_operator = 8;
  std::size_t max_plans = 1024;
  /// Verify mode: every call a plan serves also runs the operator eagerly,
  /// and a different outcome (result, or exception type and message)
  /// throws VerifyError naming the operator, the input and the first
  /// difference. Catches broken contracts the library cannot see (a
  /// missing StateDependency, glue with hidden state). Every call runs
  /// twice, side effects included: for tests, not production. The
  /// environment variable XCS_JIT_VERIFY=1 turns it on for every jit
  /// operator created while it is set.
  bool verify = false;
  /// Writes the stages of every plan built, like XLA's dump flag. The
  /// environment variable XCS_DUMP=STAGES:DIR (`XCS_DUMP=ir-opt,asm:/tmp/d`)
  /// sets it for every jit operator created while it is set; a malformed
  /// value makes xcs::jit throw an InputError saying what is wrong.
  PlanDump dump{};
  /// Records every operator call of the process while this operator lives
  /// and writes it to this file as a Chrome trace-event timeline (Perfetto,
  /// chrome://tracing; docs/batch.md), and adds per-node times to the
  /// operator's metrics. "" takes the environment variable XCS_TIMELINE,
  /// if set. A file that cannot be written is an InputError when the
  /// operator is created.
  std::string timeline{};
};

/// Sets the worker count of jit operators whose options leave `workers` at
/// 0, from their next call on; 0 restores the built-in default, 64. An
/// InputError past 4096.
void set_default_workers(unsigned workers);
/// The worker count of jit operators whose options leave `workers` at 0.
unsigned default_workers();

/// A jit operator over \p op. Validates \p options here (an invalid option
/// is an InputError now, not on some later call). The result has \p op's
/// name and specification. Its calls return what \p op returns and throw
/// what it throws: when a node of a plan fails, the operator recovers the
/// eager outcome by running \p op's glue over the run's own results
/// (docs/jit.md, "When a node fails").
OperatorPtr jit(OperatorPtr op, JitOptions options = {});

/// The text of \p stage of the plan \p jit_op built last: what XCS_DUMP
/// would write, for a program to log or show. InputError when \p jit_op is
/// not a jit operator or has built no plan yet (it builds one on its first
/// call; a call that runs eagerly builds none).
std::string plan_stage_text(const Operator &jit_op, PlanStage stage);

} // namespace xcs
