//===- Runtime/task_plan.h - Running a compiled plan ------------*- C++ -*-===//
///
/// \file
/// A TaskPlan is a compiled plan as the executor runs it: the compiled
/// entry (every task in order on one thread), the task table and the output
/// function, plus what the executor keeps between runs: idle ParallelRun
/// states, so that a run allocates nothing, and an estimate of the time a
/// run's tasks take, which says whether handing tasks to other threads can
/// pay.
///
/// A run is serial (the compiled entry on the calling thread: no lock, no
/// pool thread, no allocation) when its worker count is 1, when the plan has
/// a single task, or when recent runs took less than the run's serial_below;
/// except that a plan with asynchronous calls always runs as a ParallelRun
/// (with one worker, on the caller alone), which can suspend tasks.
/// Otherwise it runs in parallel (parallel_run.h). A plan's first run is
/// parallel, every parallel run and one serial run in 32 update the
/// estimate, so a plan whose calls turn slow is parallel again within a few
/// calls.
///
/// start() runs a plan without waiting for it: a plan whose calls are all
/// asynchronous runs detached (parallel_run.h), so the thread that starts
/// it is free while its calls are in flight; any other plan runs to its
/// end first.
///
/// A failed run reports the error an eager call would throw: that of the
/// first failing node in node order, the order an eager call runs its
/// operators in. So after a failure the tasks holding an earlier node still
/// run, unless they depend on a failed task; tasks whose nodes all come
/// later do not start, as an eager call would not have reached them.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Runtime/executor.h"
#include "Runtime/parallel_run.h"
#include "Runtime/runtime_abi.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

namespace xcs::runtime {

class TaskPlan {
public:
  /// \p task_of_node gives, per node of the graph, the index of the task
  /// that holds it, or no_task (the output node); \p kinds, each task's
  /// kind; \p has_async whether some task ends at an asynchronous call.
  TaskPlan(TaskFunction entry, TaskFunction output, TaskRunner task,
           std::span<const TaskEntry> tasks,
           std::vector<std::uint32_t> task_of_node,
           std::vector<TaskKind> kinds, bool has_async);
  TaskPlan(const TaskPlan &) = delete;
  TaskPlan &operator=(const TaskPlan &) = delete;

  /// Runs every task on \p frame, then the output; returns 0, or nonzero
  /// once a task failed (frame.failure() says which; tasks already running
  /// finish first). Safe to call from many threads at once, each with its
  /// own frame. Inline, with the plainest serial case, so that a run of a
  /// small plan costs its caller no further call.
  std::int32_t run(Frame &frame, const RunOptions &options = {}) const {
    if ((tasks_.size() < 2 || options.workers == 1) && !has_async_)
      return run_entry(frame);
    return run_tasks(frame, options);
  }

  /// Starts a run of every task on \p frame, then the output, as run()
  /// does, and returns without waiting for asynchronous calls:
  /// \p on_end(status), status being what run() returns, runs exactly
  /// once, on the thread that ends the run (possibly this one, before
  /// start() returns); \p frame must live until then. A plan that holds a
  /// synchronous call (blocks()) or no asynchronous one runs to its end
  /// here. Returns the detached run, for cancelling it, or null when the
  /// run ended here.
  std::shared_ptr<ParallelRun> start(Frame &frame, const RunOptions &options,
                                     std::function<void(std::int32_t)> on_end)
      const;
  /// Whether some task holds a synchronous call, which may block the
  /// thread that runs it: start() then runs the plan on the caller.
  bool blocks() const { return blocks_; }

  static constexpr std::uint32_t no_task = UINT32_MAX;

private:
  /// run() for a plan of several tasks that may use several threads.
  std::int32_t run_tasks(Frame &frame, const RunOptions &options) const;
  bool worth_parallel(std::chrono::nanoseconds serial_below) const;
  void record_work(std::chrono::nanoseconds work) const;
  std::int32_t run_serially(Frame &frame) const;
  /// The compiled entry, and after a failure the tasks it did not reach
  /// that hold a node before the failed one.
  std::int32_t run_entry(Frame &frame) const {
    std::int32_t status = entry_(&frame);
    if (status != 0) [[unlikely]]
      finish_after_failure(frame);
    return status;
  }
  void finish_after_failure(Frame &frame) const;
  std::int32_t run_in_parallel(Frame &frame, unsigned workers,
                               Executor &executor) const;
  std::unique_ptr<ParallelRun> acquire_run() const;
  void release_run(std::unique_ptr<ParallelRun> run) const;

  TaskFunction entry_;
  TaskFunction output_;
  TaskRunner task_;
  std::span<const TaskEntry> tasks_;
  std::vector<std::uint32_t> task_of_node_;
  /// Per task: its first node.
  std::vector<std::uint32_t> first_nodes_;
  std::vector<TaskKind> kinds_;
  bool has_async_;
  bool blocks_;
  mutable std::mutex idle_mutex_;
  mutable std::vector<std::unique_ptr<ParallelRun>> idle_runs_;
  /// The work of recent runs in nanoseconds, smoothed; -1 before the first
  /// run. Updated without a lock: a lost update only delays the estimate.
  mutable std::atomic<std::int64_t> recent_work_ns_{-1};
};

} // namespace xcs::runtime
