//===- timeline_hooks.cpp - What Core tells a timeline --------------------===//

#include "Core/timeline_hooks.h"

#include "xcs/operator.h"

namespace xcs::detail {

std::atomic<int> live_timelines{0};
constinit thread_local std::int64_t current_item = no_item;
constinit thread_local std::uint32_t current_node = no_node;

namespace {

std::atomic<const TimelineHooks *> installed_hooks{nullptr};

} // namespace

void install_timeline_hooks(const TimelineHooks &hooks) {
  installed_hooks.store(&hooks, std::memory_order_release);
}

std::uint32_t timeline_thread() {
  static std::atomic<std::uint32_t> next{1};
  thread_local std::uint32_t id = next.fetch_add(1, std::memory_order_relaxed);
  return id;
}

void report_call(CallSpan span) {
  if (const TimelineHooks *hooks =
          installed_hooks.load(std::memory_order_acquire))
    hooks->call_ended(std::move(span));
}

CallSpan begin_span(const Operator &op, std::uint32_t node, bool async) {
  CallSpan span;
  span.name = op.name();
  span.node = node;
  span.item = current_item;
  span.thread = timeline_thread();
  span.async = async;
  span.begin = TimelineClock::now();
  return span;
}

} // namespace xcs::detail
