//===- Core/trace_hooks.h - What Core tells the tracer ----------*- C++ -*-===//
///
/// \file
/// Core meets the tracer (lib/Trace) at a few points: a stamped value is
/// read, a path does not fit one, a symbol is read or navigated, an
/// operator is called on a thread that no tracer watches while some tracer
/// exists. Core owns this interface and the count of live tracers, and the
/// tracer installs its implementation, so the dependency points downward
/// (docs/architecture.md, "Layers"): Core knows no tracer, as with
/// Core/call_observer.h.
///
/// The tracer installs its hooks before its first context registers, and
/// values carry a trace's stamps only once a context has registered, so a
/// report that a tracer must hear always finds the hooks installed. Before,
/// the only stamps are xcs::constant's, which the tracer lets any code read.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <atomic>

namespace xcs {
class Operator;
class Path;
class Record;
class Value;
} // namespace xcs

namespace xcs::detail {

/// How many tracing contexts exist; the tracer counts them. While none
/// does, an untraced operator call skips looking for a trace's values among
/// its inputs: the call path pays one relaxed load.
extern std::atomic<int> live_tracers;

/// Tracing contexts and timelines (Core/timeline_hooks.h), counted
/// together: whoever counts in live_tracers or live_timelines counts here
/// too. While it is zero, a call takes its fast path after this one relaxed
/// load, however many kinds of watchers there are.
extern std::atomic<int> call_watchers;

/// The tracer's side of the points above; Core reaches it through the
/// functions that report them (Core/observation.h, Core/symbol.h,
/// check_untracked_call).
class TraceHooks {
public:
  /// The content of \p value, which carries a stamp and is not a symbol,
  /// was read through the accessor \p what.
  virtual void stamped_read(const Value &value, const char *what) const = 0;
  /// A path did not fit \p value, which carries a stamp.
  virtual void failed_path(const Value &value) const = 0;
  /// Code read the content of \p symbol through \p what. In the symbolic
  /// run that made it, the run gives up: this throws its CompileError.
  /// Otherwise it returns, and on_symbol_read throws that the symbol
  /// escaped (Core/symbol.h).
  virtual void symbol_read(const Value &symbol, const char *what) const = 0;
  /// The value at \p rest inside \p symbol; see Core/symbol.h.
  virtual const Value &symbol_at(const Value &symbol,
                                 const Path &rest) const = 0;
  /// \p op is called on \p inputs on a thread with no current context
  /// while some context exists: if the inputs carry a live trace's stamps,
  /// that trace cannot see this call.
  virtual void untracked_call(const Operator &op,
                              const Record &inputs) const = 0;

protected:
  ~TraceHooks() = default;
};

/// Makes \p hooks, which live as long as the process, the ones Core
/// reports to. The tracer calls it before a context registers.
void install_trace_hooks(const TraceHooks &hooks);

/// Reports a call of \p op on \p inputs made while live_tracers is nonzero
/// and no context is current on this thread (TraceHooks::untracked_call).
void check_untracked_call(const Operator &op, const Record &inputs);

} // namespace xcs::detail
