//===- Core/timeline_hooks.h - What Core tells a timeline -------*- C++ -*-===//
///
/// \file
/// A timeline (JIT/timeline.h) records a span per operator call: on its
/// thread from start to end for a call that holds its thread, from start to
/// completion for an asynchronous one. The calls happen in Core
/// (Operator::operator(), xcs::call_async) and in Runtime (a plan's calls),
/// which know no timeline: Core owns this interface and the count of live
/// timelines, and the timeline installs its implementation, so the
/// dependency points downward, as with Core/trace_hooks.h.
///
/// While no timeline lives, a call pays one relaxed load of live_timelines.
///
/// Spans name their item: a batch runner (xcs/batch.h) sets current_item
/// on the thread that starts an item's call; a plan's run carries it to
/// the threads that help it, and an asynchronous call to its completion.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace xcs {
class Operator;
} // namespace xcs

namespace xcs::detail {

/// How many timelines record; the timeline counts them.
extern std::atomic<int> live_timelines;

/// Whether some timeline records: the one check on the call path.
inline bool timeline_recording() {
  return live_timelines.load(std::memory_order_relaxed) != 0;
}

/// The item whose work this thread does, or no_item.
inline constexpr std::int64_t no_item = -1;
extern constinit thread_local std::int64_t current_item
    __attribute__((tls_model("initial-exec")));

/// The plan node whose call this thread is about to make through
/// Operator::operator(), or no_node: the runtime sets it so that the span
/// of the call names its node. The call takes it (resets it).
inline constexpr std::uint32_t no_node = UINT32_MAX;
extern constinit thread_local std::uint32_t current_node
    __attribute__((tls_model("initial-exec")));

/// Makes \p item current on this thread for the scope, then restores the
/// one before.
class ItemScope {
public:
  explicit ItemScope(std::int64_t item) : previous_(current_item) {
    current_item = item;
  }
  ~ItemScope() { current_item = previous_; }
  ItemScope(const ItemScope &) = delete;
  ItemScope &operator=(const ItemScope &) = delete;

private:
  std::int64_t previous_;
};

using TimelineClock = std::chrono::steady_clock;

/// One operator call.
struct CallSpan {
  std::string name;
  /// The plan node that made the call, or no_node.
  std::uint32_t node = no_node;
  std::int64_t item = no_item;
  /// The thread that started the call (timeline_thread()).
  std::uint32_t thread = 0;
  TimelineClock::time_point begin;
  TimelineClock::time_point end;
  /// Started and completed later, from any thread.
  bool async = false;
  bool failed = false;
};

/// The timeline's side: receives every span, on the thread where the call
/// ended, while live_timelines is nonzero.
class TimelineHooks {
public:
  virtual void call_ended(CallSpan span) const = 0;

protected:
  ~TimelineHooks() = default;
};

/// Makes \p hooks, which live as long as the process, the ones Core
/// reports to. The timeline calls it before it counts itself live.
void install_timeline_hooks(const TimelineHooks &hooks);

/// A small number naming this thread in timelines: 1 for the first thread
/// that asks, and so on.
std::uint32_t timeline_thread();

/// Reports \p span to the installed hooks, if any.
void report_call(CallSpan span);

/// The start of a call to report once it ends: what is known when it
/// starts (name, node, item, thread, time).
CallSpan begin_span(const Operator &op, std::uint32_t node, bool async);

} // namespace xcs::detail
