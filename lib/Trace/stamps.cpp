//===- stamps.cpp - Provenance stamp encoding and live tracers ------------===//

#include "Trace/stamps.h"

#include "Core/observation.h"
#include "Core/symbol.h"
#include "Core/trace_hooks.h"
#include "xcs/error.h"

#include <array>
#include <mutex>

namespace xcs::detail {

constinit thread_local TracerContext *current_tracer = nullptr;

namespace {

/// Live contexts by generation. The mutex is held while a foreign thread
/// reports to a context, so the context cannot be destroyed meanwhile.
struct Registry {
  std::mutex mutex;
  std::array<TracerContext *, generation_limit> contexts{};
  std::uint32_t next = 1;
};

Registry &registry() {
  static Registry instance;
  return instance;
}

/// The tracer's side of Core's hooks: a report goes to the context the
/// value's stamp belongs to, the current one or, from a foreign thread, the
/// live one of that generation.
class TracerHooks final : public TraceHooks {
public:
  void stamped_read(const Value &value, const char *what) const override {
    TracerContext *context = current_tracer;
    std::uint32_t stamp = value.stamp();
    if (stamp_generation(stamp) == 0)
      return; // Constants may be read freely: they are fixed at trace time.
    if (context && context->provenance_generation() == stamp_generation(stamp))
      context->note_inspection(stamp, what);
    else
      report_foreign_use(value, what);
  }

  void failed_path(const Value &value) const override {
    TracerContext *context = current_tracer;
    std::uint32_t stamp = value.stamp();
    if (stamp_generation(stamp) == 0)
      return;
    if (context && context->provenance_generation() == stamp_generation(stamp))
      context->note_failed_path(stamp);
    else
      report_foreign_use(value, "a path that did not fit a traced value");
  }

  void symbol_read(const Value &symbol, const char *what) const override {
    TracerContext *context = current_tracer;
    if (context && context->owns(symbol))
      context->note_inspection(symbol.stamp(), what);
    else
      report_foreign_use(symbol, what);
  }

  const Value &symbol_at(const Value &symbol, const Path &rest) const override {
    TracerContext *context = current_tracer;
    if (context && context->owns(symbol))
      return context->symbol_at(symbol, rest);
    report_foreign_use(symbol, "a path into a symbol");
    throw_escaped_symbol(symbol);
  }

  void untracked_call(const Operator &op, const Record &inputs) const override {
    ObservationPause pause;
    const Value *stamped = nullptr;
    std::string what;
    for (const auto &[field, value] : inputs) {
      if (stamp_generation(value.stamp()) == 0)
        continue;
      if (!stamped) {
        stamped = &value;
        what = "a call to operator '" + op.name() + "'";
      }
      // An operator must not run for real on a symbol.
      if (symbol_tag(value) != 0)
        on_symbol_read(value, what.c_str());
    }
    if (stamped)
      report_foreign_use(*stamped, what.c_str());
  }
};

constinit const TracerHooks tracer_hooks;

} // namespace

std::uint32_t register_tracer(TracerContext *context) {
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  // Before live_tracers counts the context and before any value carries its
  // stamps, so that every report finds the hooks (Core/trace_hooks.h).
  install_trace_hooks(tracer_hooks);
  // Generations rotate so that a recently ended trace's stamps are not
  // taken for the next trace's.
  for (std::uint32_t tries = 1; tries < generation_limit; ++tries) {
    std::uint32_t generation = r.next;
    r.next = r.next + 1 == generation_limit ? 1 : r.next + 1;
    if (!r.contexts[generation]) {
      r.contexts[generation] = context;
      live_tracers.fetch_add(1, std::memory_order_relaxed);
      call_watchers.fetch_add(1, std::memory_order_relaxed);
      return generation;
    }
  }
  throw Error("cannot start a trace: " +
              std::to_string(generation_limit - 1) +
              " tracing contexts are alive at once");
}

void unregister_tracer(std::uint32_t generation) {
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  r.contexts[generation] = nullptr;
  live_tracers.fetch_sub(1, std::memory_order_relaxed);
  call_watchers.fetch_sub(1, std::memory_order_relaxed);
}

void report_foreign_use(const Value &value, const char *what) {
  std::uint32_t generation = stamp_generation(value.stamp());
  if (generation == 0)
    return;
  Registry &r = registry();
  std::lock_guard lock(r.mutex);
  // A symbol's run may be over and its generation taken by another context.
  TracerContext *owner = r.contexts[generation];
  if (owner && (symbol_tag(value) == 0 || owner->owns(value)))
    owner->note_foreign_use(what);
}

} // namespace xcs::detail
