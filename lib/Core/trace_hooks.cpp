//===- trace_hooks.cpp - What Core tells the tracer -----------------------===//

#include "Core/trace_hooks.h"

#include "Core/observation.h"
#include "Core/symbol.h"

namespace xcs::detail {

std::atomic<int> live_tracers{0};
std::atomic<int> call_watchers{0};

namespace {

std::atomic<const TraceHooks *> installed_hooks{nullptr};

/// The installed hooks, or null. Acquire pairs with the installation's
/// release: a thread that holds a trace's value got it after the tracer
/// installed its hooks, and so sees them.
const TraceHooks *hooks() {
  return installed_hooks.load(std::memory_order_acquire);
}

} // namespace

void install_trace_hooks(const TraceHooks &hooks) {
  installed_hooks.store(&hooks, std::memory_order_release);
}

// Without hooks no tracer has run: a stamp is xcs::constant's, which any
// code may read, and no input carries a live trace's stamp (live_tracers is
// read relaxed, so it may be seen before the hooks are).

void on_stamped_read(const Value &value, const char *what) {
  if (const TraceHooks *installed = hooks())
    installed->stamped_read(value, what);
}

void on_failed_path(const Value &value) {
  if (const TraceHooks *installed = hooks())
    installed->failed_path(value);
}

void check_untracked_call(const Operator &op, const Record &inputs) {
  if (const TraceHooks *installed = hooks())
    installed->untracked_call(op, inputs);
}

// A symbol comes from a symbolic run, whose context registered after the
// hooks were installed.

void on_symbol_read(const Value &symbol, const char *what) {
  hooks()->symbol_read(symbol, what);
  throw_escaped_symbol(symbol);
}

const Value &symbol_at(const Value &symbol, const Path &rest) {
  return hooks()->symbol_at(symbol, rest);
}

} // namespace xcs::detail
