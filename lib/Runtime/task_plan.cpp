//===- task_plan.cpp - Running a compiled plan ----------------------------===//

#include "Runtime/task_plan.h"

#include <algorithm>

namespace xcs::runtime {
namespace {

using Clock = std::chrono::steady_clock;

/// Serial runs are timed one in this many: two clock reads cost about 45 ns
/// here, a fifth of a small plan's run, so timing one in 32 adds about
/// 1.4 ns a run. A plan whose calls turn slow is still noticed within this
/// many calls on a thread.
constexpr std::uint32_t timed_serial_run_every = 32;

} // namespace

TaskPlan::TaskPlan(TaskFunction entry, TaskFunction output, TaskRunner task,
                   std::span<const TaskEntry> tasks,
                   std::vector<std::uint32_t> task_of_node,
                   std::vector<TaskKind> kinds, bool has_async)
    : entry_(entry), output_(output), task_(task), tasks_(tasks),
      task_of_node_(std::move(task_of_node)),
      first_nodes_(tasks.size(), Frame::no_failure),
      kinds_(std::move(kinds)), has_async_(has_async),
      blocks_(std::find(kinds_.begin(), kinds_.end(), TaskKind::Blocking) !=
              kinds_.end()) {
  for (std::uint32_t node = task_of_node_.size(); node-- > 0;)
    if (task_of_node_[node] != no_task)
      first_nodes_[task_of_node_[node]] = node;
}

std::int32_t TaskPlan::run_tasks(Frame &frame,
                                 const RunOptions &options) const {
  // Decided before the executor is looked up, which a run too short to
  // gain from other threads never needs. Asynchronous calls never count as
  // cheap: they wait.
  if (!has_async_ && !worth_parallel(options.serial_below))
    return run_serially(frame);
  Executor &executor =
      options.executor ? *options.executor : Executor::global();
  unsigned workers = executor.workers_for(options.workers);
  if (workers == 1 && !has_async_)
    return run_entry(frame);
  return run_in_parallel(frame, workers, executor);
}

std::shared_ptr<ParallelRun>
TaskPlan::start(Frame &frame, const RunOptions &options,
                std::function<void(std::int32_t)> on_end) const {
  if (!has_async_ || blocks_) {
    on_end(run(frame, options));
    return nullptr;
  }
  Executor &executor =
      options.executor ? *options.executor : Executor::global();
  // Not one of the idle runs: a detached run may be cancelled after it
  // ended, so it must not serve another run meanwhile.
  auto detached = std::make_shared<ParallelRun>(
      task_, tasks_, first_nodes_, task_of_node_, kinds_, /*timed=*/false);
  // The end callback holds the run until it ends, whoever else drops it;
  // the run lets go of the callback then, which frees it.
  detached->start_detached(
      frame, executor.workers_for(options.workers), executor.pool(),
      [this, &frame, on_end = std::move(on_end), keep = detached] {
        on_end(frame.failed() ? 1 : output_(&frame));
      });
  return detached;
}

bool TaskPlan::worth_parallel(std::chrono::nanoseconds serial_below) const {
  std::int64_t recent = recent_work_ns_.load(std::memory_order_relaxed);
  return recent < 0 || recent >= serial_below.count();
}

void TaskPlan::record_work(std::chrono::nanoseconds work) const {
  std::int64_t recent = recent_work_ns_.load(std::memory_order_relaxed);
  // Weighs the last run a quarter: one odd run does not flip the choice,
  // a lasting change does within a few runs.
  std::int64_t next =
      recent < 0 ? work.count() : (3 * recent + work.count()) / 4;
  recent_work_ns_.store(next, std::memory_order_relaxed);
}

std::int32_t TaskPlan::run_serially(Frame &frame) const {
  // Initial-exec: the default model for a shared library reaches the
  // variable through __tls_get_addr, about 11 instructions a run.
  constinit thread_local std::uint32_t serial_runs
      __attribute__((tls_model("initial-exec"))) = 0;
  if (++serial_runs % timed_serial_run_every != 0)
    return run_entry(frame);
  Clock::time_point start = Clock::now();
  std::int32_t status = run_entry(frame);
  record_work(Clock::now() - start);
  return status;
}

void TaskPlan::finish_after_failure(Frame &frame) const {
  // The entry runs the tasks in table order and returns from the one that
  // failed: the tasks before it are done, none after it has started. Table
  // order is a topological order, so one pass over the rest, skipping the
  // successors of failed and skipped tasks, runs each task at most once
  // and only once its predecessors are done.
  std::uint32_t failed_task = task_of_node_[frame.failed_node()];
  if (failed_task == no_task)
    return;
  std::vector<bool> blocked(tasks_.size());
  auto block_successors = [&](std::uint32_t task) {
    const TaskEntry &entry = tasks_[task];
    for (std::uint32_t i = 0; i < entry.successor_count; ++i)
      blocked[entry.successors[i]] = true;
  };
  block_successors(failed_task);
  for (std::uint32_t task = failed_task + 1; task < tasks_.size(); ++task)
    if (blocked[task] || first_nodes_[task] > frame.failed_node() ||
        task_(&frame, task) != 0)
      block_successors(task);
}

std::int32_t TaskPlan::run_in_parallel(Frame &frame, unsigned workers,
                                       Executor &executor) const {
  std::unique_ptr<ParallelRun> run = acquire_run();
  std::chrono::nanoseconds work = run->run(frame, workers, executor.pool());
  release_run(std::move(run));
  if (!has_async_)
    record_work(work);
  return frame.failed() ? 1 : output_(&frame);
}

std::unique_ptr<ParallelRun> TaskPlan::acquire_run() const {
  {
    std::lock_guard lock(idle_mutex_);
    if (!idle_runs_.empty()) {
      std::unique_ptr<ParallelRun> run = std::move(idle_runs_.back());
      idle_runs_.pop_back();
      return run;
    }
  }
  return std::make_unique<ParallelRun>(task_, tasks_, first_nodes_,
                                       task_of_node_, kinds_, !has_async_);
}

void TaskPlan::release_run(std::unique_ptr<ParallelRun> run) const {
  std::lock_guard lock(idle_mutex_);
  idle_runs_.push_back(std::move(run));
}

} // namespace xcs::runtime
