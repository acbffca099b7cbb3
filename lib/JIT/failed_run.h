//===- JIT/failed_run.h - What a failed run of a plan did -------*- C++ -*-===//
///
/// \file
/// When a node of a compiled run fails, the run stops what has not started
/// and waits for what is running; its frame then still holds every call
/// that completed, each in a record slot of its own. A FailedRun lists
/// those calls, with the inputs each was given, and the call that failed,
/// so that a jit operator can recover the eager outcome from them
/// (JIT/recovery.h) without running any of them again.
///
/// The inputs are not stored by the run (that would cost every successful
/// run): they are computed again here from the run's own values, by the
/// routing nodes that computed them the first time. Routing is pure, so
/// they come out equal.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "Runtime/frame.h"
#include "xcs/record.h"

#include <cstdint>
#include <exception>
#include <vector>

namespace xcs {

/// A call of a failed run: completed (outputs) or the failed one (error).
struct RunCall {
  /// The operator's index in the plan's operator table.
  std::uint32_t op = 0;
  Record inputs;
  Record outputs;
  /// What the call threw; null for a completed call.
  std::exception_ptr error;
};

/// What a failed run did.
struct FailedRun {
  /// The calls, in node order: the order of the eager call.
  std::vector<RunCall> calls;
  /// Per operator-table entry: whether a call node calls it. (A check
  /// node's composite has an entry too, but the plan does not call it: its
  /// children are the plan's calls.)
  std::vector<bool> called;
};

/// What the run on \p frame did; \p function is the scheduled function the
/// run's code was compiled from, \p operator_count the size of its operator
/// table. Call it once no task of the run is running any more.
FailedRun failed_run(const ir::Function &function, std::size_t operator_count,
                     runtime::Frame &frame);

} // namespace xcs
