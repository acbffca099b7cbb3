//===- JIT/jit_metrics.h - Counters of one jit operator ---------*- C++ -*-===//
///
/// \file
/// The counters behind JitPerformanceMetrics. Each jit operator owns one
/// set; every update also goes to the process-wide set, so both can be read
/// at any time without locks.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "JIT/plan_builder.h"
#include "xcs/jit.h"
#include "xcs/record.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace xcs {

class JitCounters {
public:
  void call() { add(&JitCounters::calls_, 1); }
  void hit() { add(&JitCounters::hits_, 1); }
  void miss() { add(&JitCounters::misses_, 1); }
  void eager() { add(&JitCounters::eager_calls_, 1); }
  /// A plan run failed and the eager outcome was recovered from it.
  void recovered() { add(&JitCounters::recoveries_, 1); }
  void traced(std::chrono::nanoseconds time) {
    add(&JitCounters::trace_ns_, time.count());
  }
  void compiled(std::chrono::nanoseconds time) {
    add(&JitCounters::compile_ns_, time.count());
  }
  void executed(std::chrono::nanoseconds time) {
    add(&JitCounters::execution_ns_, time.count());
  }
  /// Records the strategy of the latest plan and why it was chosen.
  void chose(Strategy strategy, std::string reason);
  /// Records what the latest plan's graph gives (plan_builder.h).
  void shaped(const PlanShape &shape);

  /// {calls, hits, misses, eager_calls, recoveries, trace_ns, compile_ns,
  ///  execution_ns, strategy, strategy_reason, opaque_nodes,
  ///  structured_nodes, plan_note}.
  Record report() const;
  void reset();

  /// The process-wide counters.
  static JitCounters &global();

private:
  using Counter = std::atomic<std::int64_t>;
  void add(Counter JitCounters::*counter, std::int64_t amount);
  void set_strategy(Strategy strategy, std::string reason);
  void set_shape(const PlanShape &shape);

  Counter calls_{0}, hits_{0}, misses_{0}, eager_calls_{0}, recoveries_{0};
  Counter trace_ns_{0}, compile_ns_{0}, execution_ns_{0};
  mutable std::mutex strategy_mutex_;
  std::string strategy_;
  std::string strategy_reason_;
  PlanShape shape_;
};

} // namespace xcs
