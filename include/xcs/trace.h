//===- xcs/trace.h - Tracing operator calls with provenance -----*- C++ -*-===//
///
/// \file
/// While a TracerContext is active on a thread, every Operator call on that
/// thread is recorded as a TraceRecord, and every value that comes from the
/// graph input or from a call's outputs carries a provenance stamp (which
/// call, which path). Dependencies are read from stamps, never guessed from
/// equal values: two voters that both answer "yes" are two sources.
///
/// The tracer also decides, for every composite call, whether its glue code
/// is pure routing (it can be flattened: its children become graph nodes) or
/// not (it stays one opaque node that runs its real forward). See
/// docs/tracing.md for the rule.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"
#include "xcs/path.h"
#include "xcs/record.h"

#include <chrono>
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace xcs {

/// Identifies one recorded call within a context; 0 is "no call" (the
/// parent of a top-level call, and the graph input as a source).
using CallId = std::uint64_t;

struct TraceRecord {
  CallId call_id = 0;
  CallId parent_call_id = 0;
  OperatorId instance_id = 0;
  std::string operator_name;
  std::weak_ptr<const Operator> op;
  /// Inputs as the operator received them, outputs as it returned them.
  Record inputs;
  Record outputs;
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point end;
  /// What the call threw (null when it returned).
  std::exception_ptr exception;
  /// Calls made from this call's forward, in order.
  std::vector<CallId> children;
  /// The state signatures, read when the call started, of the operator if
  /// it implements StateDependency and of its state_dependencies(),
  /// transitively: the state its glue read, even if another thread changes
  /// it before the call returns.
  std::vector<std::pair<OperatorPtr, std::uint64_t>> state_signatures;
  /// For a composite (a call with children): why its glue is not pure
  /// routing, in words; empty when it may be flattened.
  std::string opaque_reason;
  /// For a flattenable composite: the declared input and output fields
  /// whose kinds the trace cannot prove for every run (say, one taken from
  /// a child's output of kind any), and those the glue reached by walking
  /// into a value (`items[2]` of a child's output), which may fail on
  /// another run even when nothing reads the field. A plan checks them
  /// where the composite's validation would, in check nodes.
  std::vector<FieldId> unchecked_inputs;
  std::vector<FieldId> unchecked_outputs;

  /// The operator is a StructuredOperator (xcs/control_flow.h): it stays
  /// one node whose branches are calls of the plan, neither flattened nor
  /// opaque.
  bool structured = false;

  bool is_composite() const { return !children.empty(); }
  bool flattenable() const {
    return is_composite() && !structured && opaque_reason.empty();
  }
};

/// Where a stamped value came from.
struct Provenance {
  /// The producing call, or 0 for the graph input.
  CallId call = 0;
  /// Path into that call's outputs (or into the graph input).
  Path path;
};

/// Marks \p value as a trace-time constant: a value built in glue code that
/// the compiled plan may embed. Use it only for values that do not depend
/// on the composite's inputs.
Value constant(Value value);

/// How a context runs the calls it records.
enum class TraceMode {
  /// Calls run for real.
  Real,
  /// Calls run on symbols: a Composite's forward runs (its glue routes
  /// symbols), a declared leaf (StructureDependency) does not run and its
  /// outputs are symbols named by its output specification. A path into a
  /// symbol is a symbol for that part of the output. Glue that reads a
  /// symbol fails the run with a CompileError giving the reason; a symbol
  /// read after its run throws an xcs::Error saying it escaped.
  Symbolic
};

class TracerContext {
public:
  explicit TracerContext(TraceMode mode = TraceMode::Real);
  ~TracerContext();
  TracerContext(const TracerContext &) = delete;
  TracerContext &operator=(const TracerContext &) = delete;

  /// Makes a context current on this thread for the Scope's lifetime and
  /// restores the previously current one (possibly another context) after.
  class Scope {
  public:
    explicit Scope(TracerContext &context);
    ~Scope();
    Scope(const Scope &) = delete;
    Scope &operator=(const Scope &) = delete;

  private:
    TracerContext *previous_;
    detail::CallObserver *previous_observer_;
  };

  /// The context current on this thread, or nullptr.
  static TracerContext *current();

  /// \p input with every value (nested ones too) stamped as graph input.
  Record stamp_input(const Record &input);

  /// Called by Operator::operator() before a call: records it and returns
  /// its id.
  CallId track_call(const Operator &op, const Record &inputs);
  /// Symbolic mode: what \p op returns for \p inputs without running its
  /// children (see TraceMode::Symbolic). Throws CompileError when \p op can
  /// be run symbolically neither as a Composite nor as a declared leaf. A
  /// Composite whose forward throws anything else on symbols is kept opaque
  /// (see symbolic_error()) and returns symbols for its outputs.
  Record symbolic_outputs(const Operator &op, const Record &inputs);
  TraceMode mode() const;
  /// Why a symbolic run cannot give the graph ("" if it can). Set even when
  /// glue swallowed the CompileError that reported it.
  std::string symbolic_failure() const;
  /// The first exception the glue of a composite threw during a symbolic
  /// run without giving it up, with the composite's name ("" if none). That
  /// composite is an opaque node of the graph: its real forward runs when
  /// the plan runs, and throws where the eager call throws.
  const std::string &symbolic_error() const;

  /// Called after a call returned: records \p outputs, checks the glue of a
  /// composite, and returns the outputs stamped with this call.
  Record complete_call(CallId call, Record outputs);
  /// Called when a call threw.
  void fail_call(CallId call, std::exception_ptr error);

  /// All records in call order (call_id - 1 is the index).
  const std::vector<TraceRecord> &records() const;
  const TraceRecord &record(CallId call) const;
  /// The calls made while no traced call was running.
  std::vector<CallId> top_level_calls() const;

  /// The provenance of a value stamped by this context; nullopt for
  /// unstamped values, constants and values stamped by another context.
  std::optional<Provenance> provenance(const Value &value) const;
  /// Whether \p value was marked with xcs::constant.
  static bool is_constant(const Value &value);

  /// Internal: the generation that tags this context's stamps.
  std::uint32_t provenance_generation() const;
  /// Internal: a stamped value's content was read (\p what names the
  /// accessor) on this context's thread.
  void note_inspection(std::uint32_t stamp, const char *what);
  /// Internal: a path did not fit a stamped value's shape on this
  /// context's thread. Glue that goes on has branched on that shape, so the
  /// running composite stays opaque; a symbolic run goes on, since the
  /// values it saw are real ones (lists the glue built).
  void note_failed_path(std::uint32_t stamp);
  /// Internal: work on values of this trace happened on another thread.
  void note_foreign_use(const char *what);
  /// Internal: whether \p symbol is a symbol of this (symbolic) run.
  bool owns(const Value &symbol) const;
  /// Internal: the symbol standing for \p rest inside \p symbol, which this
  /// run owns; it lives as long as this context.
  const Value &symbol_at(const Value &symbol, const Path &rest);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// The result of trace().
struct Trace {
  std::unique_ptr<TracerContext> context;
  /// The top-level call.
  CallId root = 0;
  /// What the operator returned, without stamps: the real result.
  Record output;
};

/// \p record with the stamps removed from every value in it but symbols of
/// a symbolic run, which keep theirs.
Record unstamped(const Record &record);

/// Runs \p op on \p input under a fresh TracerContext in \p mode and
/// returns the records. Exceptions from the call propagate unchanged. In
/// symbolic mode Trace::output holds symbols, not a result.
Trace trace(const Operator &op, const Record &input,
            TraceMode mode = TraceMode::Real);

} // namespace xcs
