//===- parallel_run.cpp - A run on several threads ------------------------===//

#include "Runtime/parallel_run.h"

#include <algorithm>

namespace xcs::runtime {

ParallelRun::ParallelRun(TaskRunner task, std::span<const TaskEntry> tasks,
                         std::span<const std::uint32_t> first_nodes)
    : task_(task), tasks_(tasks), first_nodes_(first_nodes),
      waiting_on_(tasks.size()) {
  ready_.reserve(tasks.size());
}

std::chrono::nanoseconds ParallelRun::run(Frame &frame, unsigned workers,
                                          WorkerPool &pool) {
  Lock lock(mutex_);
  start(frame, workers, pool);
  finish(lock);
  return work_;
}

void ParallelRun::start(Frame &frame, unsigned workers, WorkerPool &pool) {
  frame_ = &frame;
  pool_ = &pool;
  helper_limit_ = workers - 1;
  work_ = std::chrono::nanoseconds(0);
  ready_.clear();
  // Queued in reverse, so that the calling thread starts with task 0.
  for (std::size_t t = tasks_.size(); t-- > 0;) {
    waiting_on_[t] = tasks_[t].join_count;
    if (waiting_on_[t] == 0)
      ready_.push_back(static_cast<std::uint32_t>(t));
  }
  unfinished_ = static_cast<std::uint32_t>(ready_.size());
}

void ParallelRun::help() noexcept {
  Lock lock(mutex_);
  --arriving_;
  drain(lock);
  if (--helpers_ == 0)
    notify_caller();
}

void ParallelRun::drain(Lock &lock) {
  std::optional<std::uint32_t> next = take();
  while (next)
    next = execute(*next, lock);
}

std::optional<std::uint32_t> ParallelRun::execute(std::uint32_t task,
                                                  Lock &lock) {
  request_helpers(lock);
  Frame *frame = frame_;
  lock.unlock();
  auto began = std::chrono::steady_clock::now();
  std::int32_t status = task_(frame, task);
  auto took = std::chrono::steady_clock::now() - began;
  lock.lock();
  work_ += took;
  std::optional<std::uint32_t> next;
  if (status == 0)
    next = release_successors(task);
  task_done();
  if (next && !may_start(*next)) {
    task_done();
    next.reset();
  }
  return next ? next : take();
}

std::optional<std::uint32_t>
ParallelRun::release_successors(std::uint32_t task) {
  const TaskEntry &entry = tasks_[task];
  std::optional<std::uint32_t> next;
  for (std::uint32_t i = 0; i < entry.successor_count; ++i) {
    std::uint32_t successor = entry.successors[i];
    if (--waiting_on_[successor] != 0)
      continue;
    ++unfinished_;
    if (next)
      ready_.push_back(successor);
    else
      next = successor;
  }
  if (!ready_.empty())
    notify_caller();
  return next;
}

std::optional<std::uint32_t> ParallelRun::take() {
  while (!ready_.empty()) {
    std::uint32_t task = ready_.back();
    ready_.pop_back();
    if (may_start(task))
      return task;
    task_done();
  }
  return std::nullopt;
}

bool ParallelRun::may_start(std::uint32_t task) const {
  return first_nodes_[task] < frame_->failed_node();
}

void ParallelRun::request_helpers(Lock &lock) {
  if (ready_.size() <= arriving_ || helpers_ >= helper_limit_)
    return;
  unsigned wanted = std::min(static_cast<unsigned>(ready_.size()) - arriving_,
                             helper_limit_ - helpers_);
  helpers_ += wanted;
  arriving_ += wanted;
  // Starting and waking threads takes system calls; tasks finishing
  // meanwhile must not wait for them.
  lock.unlock();
  bool requested = pool_->request(*this, wanted, helper_limit_);
  lock.lock();
  if (requested)
    return;
  helpers_ -= wanted;
  arriving_ -= wanted;
  if (helpers_ == 0)
    notify_caller();
}

void ParallelRun::finish(Lock &lock) {
  while (true) {
    drain(lock);
    if (unfinished_ == 0) {
      // Requests no thread has taken would only find an empty queue.
      unsigned withdrawn = pool_->withdraw(*this);
      helpers_ -= withdrawn;
      arriving_ -= withdrawn;
      if (helpers_ == 0)
        return;
    }
    caller_waiting_ = true;
    caller_wake_.wait(lock);
    caller_waiting_ = false;
  }
}

void ParallelRun::task_done() {
  if (--unfinished_ == 0)
    notify_caller();
}

void ParallelRun::notify_caller() {
  if (caller_waiting_)
    caller_wake_.notify_one();
}

} // namespace xcs::runtime
