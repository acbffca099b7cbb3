//===- Core/startable.h - Calls that need not hold a thread -----*- C++ -*-===//
///
/// \file
/// A jit operator, or the plan of a routing-IR file, is not an
/// AsyncOperator: called as an operator it runs to its end. But when every
/// call of its plan is asynchronous, the plan can run detached
/// (Runtime/parallel_run.h), holding no thread while its calls are in
/// flight. Such an operator implements Startable (the JIT, a layer above,
/// does), so that call_async() and xcs::BatchRunner can start it as they
/// start an AsyncOperator, and keep thousands of pipeline runs in flight
/// on a few threads.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/async.h"

#include <functional>
#include <optional>

namespace xcs::detail {

class Startable {
public:
  virtual ~Startable();
  /// Whether a call on \p inputs would start without holding the calling
  /// thread until it ends (its plan is built and calls nothing
  /// synchronously).
  virtual bool can_start(const Record &inputs) const = 0;
  /// Starts a call on \p inputs, which the caller validated; it completes
  /// \p done exactly once, from any thread. Should the call need the
  /// thread after all (its plan was dropped since can_start()), it runs
  /// to its end here first.
  virtual void start(const Record &inputs, Completion done) const = 0;
};

/// Whether \p op's call on \p inputs holds no thread while it waits:
/// \p op is an AsyncOperator, or a Startable that can start on \p inputs,
/// and no observer or live trace must see the call made on this thread.
bool starts_without_thread(const Operator &op, const Record &inputs);

/// Starts \p op's call on \p inputs as call_async() does and returns its
/// handle, when starts_without_thread(). Otherwise returns nullopt, having done nothing and left \p on_done as it was: the
/// caller makes an ordinary call.
std::optional<CallHandle>
start_without_thread(const Operator &op, const Record &inputs,
                     std::function<void(CallOutcome)> &on_done);

} // namespace xcs::detail
