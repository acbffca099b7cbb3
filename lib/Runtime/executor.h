//===- Runtime/executor.h - Threads for compiled plans ----------*- C++ -*-===//
///
/// \file
/// The Executor owns the worker pool that runs of compiled plans draw their
/// helpers from, and the default number of threads a run may use. One
/// process-wide executor serves every plan; its threads start on first need
/// and grow with demand up to the largest worker count any run asks for.
///
/// A run's worker count counts the calling thread, which always runs tasks
/// itself: 1 runs the plan serially on the caller, N lets up to N - 1 pool
/// threads help. The default is 64: plans mostly wait on model calls, which
/// are I/O, so the useful number of threads is the number of calls to keep
/// in flight, not the number of cores. docs/execution.md discusses sizing.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Runtime/worker_pool.h"

#include <atomic>
#include <chrono>
#include <functional>

namespace xcs::runtime {

class Executor;

/// Handing a task to another thread costs a wake-up of tens of microseconds;
/// a plan whose runs recently took less than this (their tasks' time
/// summed) gains nothing from it and runs on the calling thread alone.
inline constexpr std::chrono::nanoseconds default_serial_below =
    std::chrono::microseconds(50);

/// How one run may use threads.
struct RunOptions {
  /// Threads that may run the plan's tasks at once, the calling thread
  /// included; 0 takes the executor's default.
  unsigned workers = 0;
  /// See default_serial_below; zero always runs independent tasks in
  /// parallel.
  std::chrono::nanoseconds serial_below = default_serial_below;
  /// Where helpers come from; null for Executor::global().
  Executor *executor = nullptr;
};

class Executor {
public:
  static constexpr unsigned builtin_default_workers = 64;
  /// The largest worker count a run may use.
  static constexpr unsigned max_workers = 4096;

  /// The process-wide executor. Never destroyed: runs may still finish
  /// during static destruction.
  static Executor &global();

  /// An executor with its own pool of at most \p max_threads threads.
  explicit Executor(unsigned max_threads = max_workers - 1);

  /// The worker count of runs whose options leave it at 0.
  unsigned default_workers() const {
    return default_workers_.load(std::memory_order_relaxed);
  }
  /// Sets it; 0 restores builtin_default_workers. At most max_workers.
  void set_default_workers(unsigned workers);
  /// \p requested, or the default when it is 0.
  unsigned workers_for(unsigned requested) const {
    return requested != 0 ? requested : default_workers();
  }

  WorkerPool &pool() { return pool_; }
  /// Runs \p work on a pool thread: work that may block and must not run
  /// on the thread at hand (an I/O thread ending a detached run). Runs it
  /// here when the pool cannot take it.
  void post(std::function<void()> work);

private:
  WorkerPool pool_;
  std::atomic<unsigned> default_workers_{builtin_default_workers};
};

} // namespace xcs::runtime
