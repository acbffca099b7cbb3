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

/// The calls of a failed run, in node order: the order of the eager call.
/// \p function is the scheduled function the run's code was compiled from,
/// \p frame the run's frame, once no task of the run is running any more.
std::vector<RunCall> failed_run_calls(const ir::Function &function,
                                      runtime::Frame &frame);

} // namespace xcs
