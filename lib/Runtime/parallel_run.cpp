//===- parallel_run.cpp - A run on several threads ------------------------===//

#include "Runtime/parallel_run.h"

#include "Core/completion_state.h"
#include "Core/timeline_hooks.h"
#include "Core/trace_hooks.h"
#include "xcs/async.h"

#include <algorithm>
#include <thread>

namespace xcs::runtime {
namespace {

/// The detached run whose ready tasks this thread is running, if any. A
/// call that completes while this thread starts it (before start()
/// returns) leaves what it makes ready to that loop, which takes it next,
/// rather than running it in a loop of its own: a chain of such calls
/// would nest one loop per call, and a long one overflow the stack.
thread_local const ParallelRun *draining_here = nullptr;

} // namespace

/// One asynchronous call of a run: where its outcome goes.
class RunCompletion final : public detail::CompletionState {
public:
  RunCompletion(const Operator &callee, ParallelRun &run, std::uint32_t node,
                std::uint32_t record_slot, std::uint32_t box_slot)
      : CompletionState(callee), run_(run), node_(node),
        record_slot_(record_slot), box_slot_(box_slot) {}

  /// This call's place in the run's in_flight_ list.
  std::size_t index = 0;
  /// The call's span, when a timeline recorded its start.
  std::optional<detail::CallSpan> span;

private:
  void finish(std::optional<Record> outputs,
              std::exception_ptr error) noexcept override {
    Frame &frame = *run_.frame_;
    const Operator &callee = op();
    if (!error) {
      try {
        callee.spec().validate_outputs(callee.name(), *outputs);
        RecordSlot &slot = frame.record(record_slot_);
        slot.fill([&] { return std::move(*outputs); });
        if (box_slot_ != no_slot)
          frame.value(box_slot_) = Value::record(slot.get());
      } catch (...) {
        error = std::current_exception();
      }
    }
    // Moved, so that this thread holds no reference to the exception once
    // the run may end: the caller frees it on its own thread.
    bool ok = !error;
    if (span) {
      span->end = detail::TimelineClock::now();
      span->failed = !ok;
      detail::report_call(std::move(*span));
    }
    if (error)
      frame.fail(node_, callee.name(), std::move(error));
    // The last use of this call's run: once its task is done the run may
    // end and its frame go.
    run_.finish_suspended(run_.task_of_node_[node_], this, ok);
  }

  ParallelRun &run_;
  std::uint32_t node_;
  std::uint32_t record_slot_;
  std::uint32_t box_slot_;
};

ParallelRun::ParallelRun(TaskRunner task, std::span<const TaskEntry> tasks,
                         std::span<const std::uint32_t> first_nodes,
                         std::span<const std::uint32_t> task_of_node,
                         std::span<const TaskKind> kinds, bool timed)
    : task_(task), tasks_(tasks), first_nodes_(first_nodes),
      task_of_node_(task_of_node), kinds_(kinds), timed_(timed),
      compute_helpers_(std::max(1u, std::thread::hardware_concurrency()) - 1),
      waiting_on_(tasks.size()) {
  ready_.reserve(tasks.size());
}

void ParallelRun::start(std::uint32_t node, std::uint32_t record_slot,
                        std::uint32_t box_slot, const Operator &callee,
                        Record inputs) noexcept {
  auto call = std::make_shared<RunCompletion>(callee, *this, node,
                                              record_slot, box_slot);
  bool cancel;
  {
    Lock lock(mutex_);
    call->index = in_flight_.size();
    in_flight_.push_back(call);
    cancel = frame_->failed() || cancelled_;
  }
  Frame &frame = *frame_;
  bool timed = detail::timeline_recording();
  if (timed && callee.as_async())
    call->span = detail::begin_span(callee, node, /*async=*/true);
  call->start_call([&] {
    const AsyncOperator *async = callee.as_async();
    if (!async) {
      if (timed)
        detail::current_node = node;
      return Completion(call).complete(callee(inputs));
    }
    // What Operator::operator() does before a call: a live trace must hear
    // of its values used here, and unproven inputs are validated.
    bool tracing = detail::live_tracers.load(std::memory_order_relaxed) != 0;
    if (tracing)
      detail::check_untracked_call(callee, inputs);
    if (tracing || !frame.inputs_proven(node))
      callee.spec().validate_inputs(callee.name(), inputs);
    async->start(inputs, Completion(call));
  });
  if (cancel)
    call->request_cancel();
}

void ParallelRun::finish_suspended(std::uint32_t task, RunCompletion *call,
                                   bool ok) {
  Lock lock(mutex_);
  // Keeps the call alive while it finishes, then drops it from the list.
  std::shared_ptr<RunCompletion> done = std::move(in_flight_[call->index]);
  if (call->index + 1 != in_flight_.size()) {
    in_flight_[call->index] = std::move(in_flight_.back());
    in_flight_[call->index]->index = call->index;
  }
  in_flight_.pop_back();
  if (ok) {
    std::optional<std::uint32_t> next = release_successors(task);
    while (!on_end_ && next && kinds_[*next] == TaskKind::Routing)
      next = run_task(*next, lock);
    if (next)
      push_ready(*next);
  } else {
    cancel_in_flight(lock);
  }
  if (on_end_) {
    // A detached run's tasks never block, and no thread waits in it for
    // work: this thread runs what is ready (starting calls takes
    // microseconds; waking a pool thread for them, tens), for the run's
    // item (Core/timeline_hooks.h).
    if (draining_here != this) {
      detail::ItemScope item(item_);
      drain_detached(lock);
    }
  } else if (!ready_.empty()) {
    request_helpers(lock);
  }
  task_done();
  std::function<void()> end = take_end();
  lock.unlock();
  if (end)
    end();
}

void ParallelRun::cancel() {
  Lock lock(mutex_);
  cancelled_ = true;
  cancel_in_flight(lock);
}

void ParallelRun::cancel_in_flight(Lock &lock) {
  std::vector<std::shared_ptr<RunCompletion>> calls = in_flight_;
  lock.unlock();
  for (const std::shared_ptr<RunCompletion> &call : calls)
    call->request_cancel();
  lock.lock();
}

void ParallelRun::push_ready(std::uint32_t task) {
  ready_.push_back(task);
  ready_blocking_ += is_blocking(task);
  notify_caller();
}

std::chrono::nanoseconds ParallelRun::run(Frame &frame, unsigned workers,
                                          WorkerPool &pool) {
  Lock lock(mutex_);
  start(frame, workers, pool);
  finish(lock);
  return work_;
}

void ParallelRun::start_detached(Frame &frame, unsigned workers,
                                 WorkerPool &pool,
                                 std::function<void()> on_end) {
  Lock lock(mutex_);
  start(frame, workers, pool);
  on_end_ = std::move(on_end);
  drain_detached(lock);
  std::function<void()> end = take_end();
  lock.unlock();
  if (end)
    end();
}

void ParallelRun::drain_detached(Lock &lock) {
  const ParallelRun *outer = std::exchange(draining_here, this);
  ++attending_;
  drain(lock);
  --attending_;
  draining_here = outer;
}

std::function<void()> ParallelRun::take_end() {
  if (!on_end_ || attending_ != 0 || unfinished_ != 0)
    return nullptr;
  unsigned withdrawn = pool_->withdraw(*this);
  helpers_ -= withdrawn;
  arriving_ -= withdrawn;
  if (helpers_ != 0)
    return nullptr;
  return std::exchange(on_end_, nullptr);
}

void ParallelRun::start(Frame &frame, unsigned workers, WorkerPool &pool) {
  frame_ = &frame;
  item_ = detail::current_item;
  frame.set_async_calls(this);
  pool_ = &pool;
  helper_limit_ = workers - 1;
  work_ = std::chrono::nanoseconds(0);
  cancelled_ = false;
  ready_.clear();
  ready_blocking_ = 0;
  // Queued in reverse, so that the calling thread starts with task 0.
  for (std::size_t t = tasks_.size(); t-- > 0;) {
    waiting_on_[t] = tasks_[t].join_count;
    if (waiting_on_[t] == 0) {
      ready_.push_back(static_cast<std::uint32_t>(t));
      ready_blocking_ += is_blocking(t);
    }
  }
  unfinished_ = static_cast<std::uint32_t>(ready_.size());
}

void ParallelRun::help() noexcept {
  Lock lock(mutex_);
  // The helper works for the caller's item (Core/timeline_hooks.h).
  detail::ItemScope item(item_);
  --arriving_;
  drain(lock);
  if (--helpers_ == 0)
    notify_caller();
  std::function<void()> end = take_end();
  lock.unlock();
  if (end)
    end();
}

void ParallelRun::drain(Lock &lock) {
  std::optional<std::uint32_t> next = take();
  while (next)
    next = execute(*next, lock);
}

std::optional<std::uint32_t> ParallelRun::execute(std::uint32_t task,
                                                  Lock &lock) {
  // Counted before asking for helpers: the queue must not wait for a
  // thread that is about to block.
  bool blocks = is_blocking(task);
  blocked_running_ += blocks;
  request_helpers(lock);
  std::optional<std::uint32_t> next = run_task(task, lock);
  blocked_running_ -= blocks;
  return next ? next : take();
}

std::optional<std::uint32_t> ParallelRun::run_task(std::uint32_t task,
                                                   Lock &lock) {
  Frame *frame = frame_;
  lock.unlock();
  std::int32_t status;
  if (timed_) {
    auto began = std::chrono::steady_clock::now();
    status = task_(frame, task);
    auto took = std::chrono::steady_clock::now() - began;
    lock.lock();
    work_ += took;
  } else {
    status = task_(frame, task);
    lock.lock();
  }
  std::optional<std::uint32_t> next;
  if (status == 0)
    next = release_successors(task);
  else if (status != suspended)
    cancel_in_flight(lock);
  // A suspended task is finished by its call's completion.
  if (status != suspended)
    task_done();
  return next;
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
      push_ready(successor);
    else
      next = successor;
  }
  if (next && !may_start(*next)) {
    task_done();
    next.reset();
  }
  return next;
}

std::optional<std::uint32_t> ParallelRun::take() {
  while (!ready_.empty()) {
    std::uint32_t task = ready_.back();
    ready_.pop_back();
    ready_blocking_ -= is_blocking(task);
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
  bool blocking = ready_blocking_ != 0;
  // A helper takes a wake-up (5 to 20 us measured here) to arrive, and the
  // run must wait for it to leave; a task that does not block (routing, or
  // starting asynchronous calls) takes about a microsecond. A short queue
  // of them is done sooner by the threads already running it, unless one
  // of those is inside a task that may block (a synchronous call waiting
  // for what the queue would start).
  if (!blocking && blocked_running_ == 0 &&
      ready_.size() < min_queue_for_compute_helper)
    return;
  // A thread blocked in a task counts as gone.
  unsigned limit = blocking ? helper_limit_
                            : std::min(helper_limit_,
                                       compute_helpers_ + blocked_running_);
  if (ready_.size() <= arriving_ || helpers_ >= limit)
    return;
  unsigned wanted = std::min(static_cast<unsigned>(ready_.size()) - arriving_,
                             limit - helpers_);
  helpers_ += wanted;
  arriving_ += wanted;
  // Starting and waking threads takes system calls; tasks finishing
  // meanwhile must not wait for them.
  lock.unlock();
  bool requested = pool_->request(*this, wanted, limit);
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
  // One wake-up is enough: the caller runs all there is once it wakes, and
  // completions arriving meanwhile need not each make a system call.
  if (caller_waiting_) {
    caller_waiting_ = false;
    caller_wake_.notify_one();
  }
}

} // namespace xcs::runtime
