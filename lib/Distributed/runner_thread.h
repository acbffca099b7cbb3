//===- Distributed/runner_thread.h - A rank's batch runner ------*- C++ -*-===//
///
/// \file
/// A rank's items run on a BatchRunner of their own thread, as the rank's
/// first thread is its communication thread (every MPI call is made there).
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/batch.h"

#include <atomic>
#include <exception>
#include <functional>
#include <thread>

namespace xcs::distributed {

class RunnerThread {
public:
  /// Starts running \p op over \p source at once, handing each outcome to
  /// \p on_outcome on the runner's thread.
  RunnerThread(OperatorPtr op, BatchOptions options, BatchSource &source,
               std::function<void(BatchOutcome)> on_outcome)
      : runner_(std::move(op), std::move(options)),
        thread_([this, &source, on_outcome = std::move(on_outcome)] {
          try {
            summary_ = runner_.run(source, on_outcome);
          } catch (...) {
            failure_ = std::current_exception();
          }
          done_.store(true, std::memory_order_release);
        }) {}
  /// A run still going (the rank failed) is cancelled first.
  ~RunnerThread() {
    if (!done())
      runner_.cancel();
    thread_.join();
  }
  RunnerThread(const RunnerThread &) = delete;
  RunnerThread &operator=(const RunnerThread &) = delete;

  /// Whether the run has ended (every outcome was handed over).
  bool done() const { return done_.load(std::memory_order_acquire); }
  BatchProgress progress() const { return runner_.progress(); }
  /// Once done(): the run's summary; rethrows what stopped the run.
  const BatchSummary &summary() const {
    if (failure_)
      std::rethrow_exception(failure_);
    return summary_;
  }

private:
  BatchRunner runner_;
  BatchSummary summary_;
  std::exception_ptr failure_;
  std::atomic<bool> done_{false};
  std::thread thread_;
};

} // namespace xcs::distributed
