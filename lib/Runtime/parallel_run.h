//===- Runtime/parallel_run.h - A run on several threads --------*- C++ -*-===//
///
/// \file
/// A ParallelRun runs the tasks of a compiled plan's task table on one
/// frame, each once all the tasks before it are done, on the calling thread
/// and on helpers from a WorkerPool.
///
/// A task becomes ready when its join counter, set from the table, drops to
/// zero; there are no level-by-level barriers, so one slow task delays only
/// what depends on it. The thread that finishes a task keeps one newly ready
/// successor to run next (no queue, no hand-off) and queues the others, and
/// asks the pool for helpers while more tasks are queued than helpers are
/// coming, up to the run's limit. The calling thread runs tasks like any
/// helper, and while it waits for tasks running elsewhere it runs whatever
/// becomes ready: a run never waits on a pool thread that has not started
/// one of its tasks, which is why nested runs cannot deadlock when every
/// pool thread is busy.
///
/// Once a task fails its successors are not released, and a task starts
/// only if it holds a node before the earliest failed node (see
/// task_plan.h): queued tasks past it are dropped, while tasks already
/// running finish. The frame keeps the failure of the earliest node.
///
/// A task that ends at an asynchronous call (runtime::suspended) is not
/// finished when its function returns: the call holds no thread while in
/// flight, and its completion, on whatever thread it arrives, stores the
/// record and finishes the task. The completing thread runs the successors
/// it releases that only route values (reading the call's outputs, say),
/// which cost less than waking a thread for them, and queues the others
/// for the run's threads: it never runs an operator call. After a failure,
/// calls in flight are asked to cancel; the run still waits for every one
/// to complete, so its frame may live on the caller's stack.
///
/// Helpers: ready tasks that hold a synchronous call may block their
/// thread, so each may get a helper, up to the run's limit; tasks that
/// only route values or start asynchronous calls get at most one helper
/// per further core, so the thread count does not grow with the number of
/// calls in flight, and none until enough of them are queued to be worth a
/// thread's wake-up, unless a thread of the run is inside a synchronous
/// call (it counts as gone: a member may wait for what the queue starts).
///
/// A ParallelRun is reused: one object serves one run at a time, and keeps
/// its counters and queue between runs so that a run allocates nothing.
///
/// A detached run (start_detached()) has no caller waiting for it: the
/// starting thread runs what is ready and leaves, and the run ends on
/// whichever thread finishes its last task, which then calls the run's
/// end callback. So a plan whose calls are all asynchronous holds no
/// thread while they are in flight, and a program can keep thousands of
/// runs going on a few threads (xcs::call_async, xcs::BatchRunner). Its
/// tasks must not block: a call's completing thread runs every task the
/// completion makes ready, not only those that route values, since no
/// thread of the run waits to take them.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Runtime/runtime_abi.h"
#include "Runtime/worker_pool.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

namespace xcs::runtime {

class RunCompletion;

/// What a task's nodes may do to the thread that runs it.
enum class TaskKind : std::uint8_t {
  /// Routes values only and calls no operator.
  Routing,
  /// Calls operators, and no synchronous one: it may end at an
  /// asynchronous call, but never blocks.
  Calls,
  /// Holds a synchronous call, which may block its thread.
  Blocking,
};

class ParallelRun final : public Helpable, public AsyncCalls {
public:
  /// \p first_nodes gives each task's first node, \p task_of_node each
  /// node's task, and \p kinds each task's kind. \p timed says whether
  /// run() measures the time the tasks take: a plan with asynchronous
  /// calls never asks (it never runs serially), and two clock reads a task
  /// cost more than the rest of a call's bookkeeping.
  ParallelRun(TaskRunner task, std::span<const TaskEntry> tasks,
              std::span<const std::uint32_t> first_nodes,
              std::span<const std::uint32_t> task_of_node,
              std::span<const TaskKind> kinds, bool timed);
  ParallelRun(const ParallelRun &) = delete;
  ParallelRun &operator=(const ParallelRun &) = delete;

  /// Runs every task on \p frame with at most \p workers threads at once,
  /// the calling thread included, helpers coming from \p pool. Returns once
  /// no task runs any more: every task is done, or one failed (then
  /// frame.failed()). Returns the time the tasks took, summed, if timed.
  std::chrono::nanoseconds run(Frame &frame, unsigned workers,
                               WorkerPool &pool);
  /// Starts a run of every task on \p frame as run() does, without
  /// waiting: this thread runs the tasks ready now and returns. \p on_end
  /// runs exactly once, once no task runs any more (every task done, or
  /// one failed), on the thread that ends the run, possibly this one
  /// before start_detached() returns; the run touches neither itself nor
  /// \p frame afterwards. No task may be Blocking.
  void start_detached(Frame &frame, unsigned workers, WorkerPool &pool,
                      std::function<void()> on_end);
  /// Asks the run's asynchronous calls in flight, and those it starts
  /// from now on, to cancel; they fail, and the run with them. Any thread,
  /// any time, even after the run ended (then it does nothing).
  void cancel();

  void help() noexcept override;
  void start(std::uint32_t node, std::uint32_t record_slot,
             std::uint32_t box_slot, const Operator &callee,
             Record inputs) noexcept override;

private:
  friend class RunCompletion;
  using Lock = std::unique_lock<std::mutex>;

  void start(Frame &frame, unsigned workers, WorkerPool &pool);
  /// Runs ready tasks and their continuations until none is ready.
  void drain(Lock &lock);
  /// Runs \p task, then accounts for it; returns the task to run next.
  std::optional<std::uint32_t> execute(std::uint32_t task, Lock &lock);
  /// Runs \p task, unlocked, and accounts for it; returns one of the
  /// successors it released that may start, if any.
  std::optional<std::uint32_t> run_task(std::uint32_t task, Lock &lock);
  /// Releases \p task's successors; returns one of those that became ready,
  /// if it may start, and queues the others.
  std::optional<std::uint32_t> release_successors(std::uint32_t task);
  /// A queued task to start, dropping the queued tasks that may not.
  std::optional<std::uint32_t> take();
  /// Whether \p task may start: no failure is recorded, or only one of a
  /// node after the task's first.
  bool may_start(std::uint32_t task) const;
  bool is_blocking(std::uint32_t task) const {
    return kinds_[task] == TaskKind::Blocking;
  }
  /// Asks the pool for the helpers the queue calls for.
  void request_helpers(Lock &lock);
  /// Runs whatever is ready, and waits for more, until no task and no
  /// helper is left.
  void finish(Lock &lock);
  void task_done();
  /// Finishes \p call's suspended task \p task, on the completing thread.
  void finish_suspended(std::uint32_t task, RunCompletion *call, bool ok);
  /// Asks every call in flight to cancel; unlocks while they run their
  /// cancellation callbacks, which may complete them.
  void cancel_in_flight(Lock &lock);
  /// Queues \p task as ready.
  void push_ready(std::uint32_t task);
  /// Wakes the calling thread if it waits: there is work for it, or the run
  /// may be over.
  void notify_caller();
  /// Runs a detached run's ready tasks on this thread, attending it.
  void drain_detached(Lock &lock);
  /// For a thread leaving a detached run: the end callback if the run is
  /// over (no task left, no thread in it), taken out so that it runs once.
  /// The caller calls it unlocked, as the last thing it does with the run.
  std::function<void()> take_end();

  const TaskRunner task_;
  const std::span<const TaskEntry> tasks_;
  const std::span<const std::uint32_t> first_nodes_;
  const std::span<const std::uint32_t> task_of_node_;
  const std::span<const TaskKind> kinds_;
  const bool timed_;
  /// Helpers for tasks that do not block: one per core beyond the first
  /// and one per thread blocked in a task, and, while no thread is, only
  /// once this many such tasks are queued.
  const unsigned compute_helpers_;
  static constexpr std::size_t min_queue_for_compute_helper = 16;
  // Everything below is guarded by mutex_.
  std::mutex mutex_;
  std::condition_variable caller_wake_;
  Frame *frame_ = nullptr;
  WorkerPool *pool_ = nullptr;
  /// Each task's predecessors not yet done.
  std::vector<std::uint32_t> waiting_on_;
  /// Ready tasks nobody has started, and how many of them are Blocking.
  std::vector<std::uint32_t> ready_;
  std::uint32_t ready_blocking_ = 0;
  /// Asynchronous calls started and not completed.
  std::vector<std::shared_ptr<RunCompletion>> in_flight_;
  /// Tasks ready or running.
  std::uint32_t unfinished_ = 0;
  /// Threads running a task that holds a synchronous call.
  unsigned blocked_running_ = 0;
  /// Pool threads asked for and not yet gone: the run must outlive them.
  unsigned helpers_ = 0;
  /// Of those, the ones that have not started helping yet.
  unsigned arriving_ = 0;
  unsigned helper_limit_ = 0;
  bool caller_waiting_ = false;
  /// A detached run's end callback, until the run ends.
  std::function<void()> on_end_;
  /// Threads running a detached run's ready tasks outside a helper's
  /// help(): the thread that starts it, and completing threads.
  unsigned attending_ = 0;
  /// Whether cancel() was called during this run.
  bool cancelled_ = false;
  std::chrono::nanoseconds work_{0};
  /// The item the caller works for, which its helpers then work for
  /// (Core/timeline_hooks.h).
  std::int64_t item_ = -1;
};

} // namespace xcs::runtime
