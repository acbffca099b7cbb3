//===- xcs/metrics.h - What the JIT did and what it cost --------*- C++ -*-===//
///
/// \file
/// Every jit operator counts its calls, cache hits and misses and times its
/// tracing, compilation and execution; the same figures are summed over all
/// jit operators of the process. report() returns them as a record, to read
/// from code or print as JSON.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"
#include "xcs/record.h"

#include <string>

namespace xcs {

class JitPerformanceMetrics {
public:
  /// Figures of the jit operator \p jit_op (as returned by xcs::jit):
  /// {calls, hits, misses, eager_calls, recoveries, trace_ns, compile_ns,
  ///  execution_ns, strategy, strategy_reason, plans, workers}: recoveries
  /// counts plan runs in which a node failed and the eager outcome was
  /// recovered. With a timeline (JitOptions::timeline, XCS_TIMELINE), also
  /// node_times: per plan node that made calls while it recorded, {node,
  /// operator, calls, total_ns, max_ns}. InputError if it is not a jit
  /// operator.
  static Record report(const Operator &jit_op);
  /// The same figures summed over every jit operator of the process, with
  /// plans (held by them all now) and without workers. A call served by
  /// tracing (the trace strategy's first call) counts its time in both
  /// trace_ns and execution_ns: it discovered the graph by running.
  static Record report();
  /// A human-readable rendering of a report.
  static std::string format(const Record &report);
  /// Zeroes the process-wide figures (per-operator ones live and die with
  /// their operator).
  static void reset();
};

} // namespace xcs
