//===- Core/call_observer.h - Intercepting operator calls -------*- C++ -*-===//
///
/// \file
/// A CallObserver, while current on a thread, receives every Operator call
/// made on that thread: Operator::operator() hands it the call instead of
/// running it. The tracer is one (it records the call, then runs it);
/// a jit operator recovering the eager outcome of a failed plan run is
/// another (it answers calls from that run). Core owns the hook so that
/// the layers above install observers without Core knowing them.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

namespace xcs::detail {

class CallObserver {
public:
  virtual ~CallObserver();

  /// Makes \p op's call on \p inputs, as Operator::operator() would, and
  /// returns its result or throws what the call throws.
  virtual Record observe(const Operator &op, const Record &inputs) = 0;

protected:
  /// The call itself: validates \p inputs, runs forward and validates the
  /// result, with this thread's observer (if any) still current, so that
  /// the calls forward makes are observed too.
  static Record run(const Operator &op, const Record &inputs);
};

/// The observer current on this thread, or null.
extern constinit thread_local CallObserver *current_observer
    __attribute__((tls_model("initial-exec")));

/// Makes \p observer (null for none) current on this thread for the scope's
/// lifetime, then restores the one before.
class ObserverScope {
public:
  explicit ObserverScope(CallObserver *observer)
      : previous_(current_observer) {
    current_observer = observer;
  }
  ~ObserverScope() { current_observer = previous_; }
  ObserverScope(const ObserverScope &) = delete;
  ObserverScope &operator=(const ObserverScope &) = delete;

private:
  CallObserver *previous_;
};

} // namespace xcs::detail
