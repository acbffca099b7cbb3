//===- batch_runner.cpp - Running an operator over a dataset --------------===//
///
/// \file
/// The thread that calls run() does the bookkeeping: it pulls items while
/// fewer than max_in_flight are in flight, starts each (without a thread
/// when it can: an asynchronous operator, or a jit plan of asynchronous
/// calls, Core/startable.h; else on one of the run's threads), and hands
/// outcomes to the callback as the completing threads queue them. So the
/// callback and the source run on one thread and need no locks, and a
/// completing thread (the I/O or timer thread) only queues.
///
//===----------------------------------------------------------------------===//

#include "xcs/batch.h"

#include "Batch/batch_figures.h"
#include "Batch/latency_histogram.h"
#include "Batch/thread_callers.h"
#include "Core/startable.h"
#include "Core/timeline_hooks.h"
#include "JIT/timeline.h"
#include "xcs/async.h"
#include "xcs/error.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>

namespace xcs {

BatchSource::~BatchSource() = default;

namespace {

using Clock = std::chrono::steady_clock;

/// How long the run's thread sleeps at most between looks at stop() and
/// cancel(), which a signal handler calls and so cannot wake it.
constexpr std::chrono::milliseconds poll_interval{20};

/// What the chat models had spent per endpoint when a run started.
std::map<std::string, ops::EndpointUsage> usage_by_endpoint() {
  std::map<std::string, ops::EndpointUsage> usage;
  for (ops::EndpointUsage &endpoint : ops::endpoint_usage())
    usage.emplace(endpoint.endpoint, std::move(endpoint));
  return usage;
}

/// What each endpoint spent since \p before.
std::vector<ops::EndpointUsage>
usage_since(const std::map<std::string, ops::EndpointUsage> &before) {
  std::vector<ops::EndpointUsage> spent;
  for (ops::EndpointUsage now : ops::endpoint_usage()) {
    if (auto it = before.find(now.endpoint); it != before.end()) {
      now.calls -= it->second.calls;
      now.failures -= it->second.failures;
      now.retries -= it->second.retries;
      now.prompt_tokens -= it->second.prompt_tokens;
      now.completion_tokens -= it->second.completion_tokens;
    }
    if (now.calls != 0)
      spent.push_back(std::move(now));
  }
  return spent;
}

void validate(const OperatorPtr &op, const BatchOptions &options) {
  if (!op)
    throw InputError("BatchRunner: the operator is null");
  if (options.max_in_flight == 0)
    throw InputError("BatchRunner: option 'max_in_flight' must be at least 1");
  if (options.progress_interval.count() <= 0)
    throw InputError(
        "BatchRunner: option 'progress_interval' must be positive, got " +
        std::to_string(options.progress_interval.count()) + " ms");
}

} // namespace

/// One run. Calls that hold a thread keep it alive (they own what they
/// use, as a cancelled run may stop waiting for them).
class BatchRunner::Run : public std::enable_shared_from_this<Run> {
public:
  Run(OperatorPtr op, const BatchOptions &options,
      std::shared_ptr<Timeline> timeline, const std::atomic<bool> &stop,
      const std::atomic<bool> &cancel)
      : op_(std::move(op)), options_(options), timeline_(std::move(timeline)),
        stop_(stop), cancel_(cancel), async_(op_->as_async() != nullptr),
        startable_(async_ || dynamic_cast<const detail::Startable *>(
                                 op_.get()) != nullptr),
        thread_limit_(thread_count(options)),
        width_(startable_ ? options.max_in_flight
                          : std::min<std::size_t>(options.max_in_flight,
                                                  thread_limit_)),
        began_(Clock::now()), usage_before_(usage_by_endpoint()) {}

  BatchSummary execute(BatchSource &source,
                       const std::function<void(BatchOutcome)> &on_outcome);
  BatchProgress progress() const;

private:
  /// An item that ended, waiting to be delivered.
  struct Ended {
    BatchOutcome outcome;
    Clock::time_point began;
  };

  static unsigned thread_count(const BatchOptions &options) {
    return options.threads != 0
               ? options.threads
               : static_cast<unsigned>(
                     std::min<std::size_t>(options.max_in_flight, 64));
  }

  /// Starts as many items as there is room for; false once no more may
  /// start (the source ended, or the run was stopped).
  bool fill(BatchSource &source);
  /// Whether another item may start; mutex_ held.
  bool room() const {
    return in_flight_ < width_ && !(held_ && thread_calls_ >= thread_limit_);
  }
  /// Starts \p item; returns it when it needs a thread and none is free.
  std::optional<BatchItem> start(BatchItem item);
  /// Starts \p item without a thread, if its call can start so (an
  /// asynchronous operator always does: on this thread if it must).
  /// False, having started nothing, when the call needs a thread.
  bool start_without_thread(const BatchItem &item, Clock::time_point began);
  /// Queues \p index's outcome; any thread. \p on_thread: the call held
  /// one of the run's threads.
  void ended(std::uint64_t index, Clock::time_point began,
             CallOutcome outcome, bool on_thread = false);
  /// Hands every queued outcome to \p on_outcome.
  void deliver(const std::function<void(BatchOutcome)> &on_outcome);
  /// Asks every call in flight to cancel, once.
  void cancel_in_flight();
  void report_progress(Clock::time_point now);
  BatchSummary summary();

  const OperatorPtr op_;
  const BatchOptions options_;
  std::shared_ptr<Timeline> timeline_;
  const std::atomic<bool> &stop_;
  const std::atomic<bool> &cancel_;
  /// The operator is asynchronous: no call needs a thread.
  const bool async_;
  /// Some calls may start without a thread (async_, or Startable).
  const bool startable_;
  /// Calls holding a thread in flight, at most.
  const unsigned thread_limit_;
  /// Items in flight at most.
  const std::size_t width_;
  const Clock::time_point began_;
  const std::map<std::string, ops::EndpointUsage> usage_before_;
  std::optional<std::uint64_t> total_;
  std::unique_ptr<batch::ThreadCallers> threads_;
  batch::LatencyHistogram latencies_;
  bool cancelled_ = false;
  bool source_ended_ = false;
  bool reported_stop_ = false;
  bool reported_cancel_ = false;
  Clock::time_point next_progress_;
  /// An item pulled from the source that waits for a thread.
  std::optional<BatchItem> held_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  // Guarded by mutex_.
  std::deque<Ended> ended_;
  std::unordered_map<std::uint64_t, CallHandle> handles_;
  std::uint64_t in_flight_ = 0;
  /// Of those, the calls holding a thread and not ended.
  std::uint64_t thread_calls_ = 0;
  std::uint64_t done_ = 0;
  std::uint64_t failed_ = 0;
};

bool BatchRunner::Run::fill(BatchSource &source) {
  while (!stop_.load(std::memory_order_relaxed)) {
    {
      std::lock_guard lock(mutex_);
      if (!room())
        return true;
    }
    std::optional<BatchItem> item = std::exchange(held_, std::nullopt);
    if (!item && !source_ended_)
      item = source.next();
    if (!item) {
      source_ended_ = true;
      break;
    }
    held_ = start(std::move(*item));
  }
  return (!source_ended_ || held_) && !stop_.load(std::memory_order_relaxed);
}

std::optional<BatchItem> BatchRunner::Run::start(BatchItem item) {
  Clock::time_point began = Clock::now();
  std::uint64_t index = item.index;
  if (item.error) {
    {
      std::lock_guard lock(mutex_);
      ++in_flight_;
    }
    ended(index, began, CallOutcome{std::nullopt, std::move(item.error)});
    return std::nullopt;
  }
  if (startable_ && start_without_thread(item, began))
    return std::nullopt;
  {
    std::lock_guard lock(mutex_);
    if (thread_calls_ >= thread_limit_)
      return item;
    ++in_flight_;
    ++thread_calls_;
  }
  threads_->post([self = shared_from_this(), input = std::move(item.input),
                  index, began]() {
    detail::ItemScope scope(static_cast<std::int64_t>(index));
    CallOutcome outcome;
    try {
      outcome.outputs = (*self->op_)(input);
    } catch (...) {
      outcome.error = std::current_exception();
    }
    self->ended(index, began, std::move(outcome), /*on_thread=*/true);
  });
  return std::nullopt;
}

bool BatchRunner::Run::start_without_thread(const BatchItem &item,
                                            Clock::time_point began) {
  std::uint64_t index = item.index;
  {
    std::lock_guard lock(mutex_);
    ++in_flight_;
    handles_.emplace(index, CallHandle());
  }
  std::function<void(CallOutcome)> on_done =
      [this, index, began](CallOutcome outcome) {
        ended(index, began, std::move(outcome));
      };
  detail::ItemScope scope(static_cast<std::int64_t>(index));
  std::optional<CallHandle> handle =
      detail::start_without_thread(*op_, item.input, on_done);
  // An asynchronous operator called under an observer (a trace of the
  // composite running this batch) runs here, where the observer sees it.
  if (!handle && async_)
    handle = call_async(*op_, item.input, std::move(on_done));
  std::lock_guard lock(mutex_);
  if (!handle) {
    --in_flight_;
    handles_.erase(index);
    return false;
  }
  // Still there unless the call already ended.
  if (auto it = handles_.find(index); it != handles_.end()) {
    it->second = std::move(*handle);
    if (cancelled_)
      it->second.cancel();
  }
  return true;
}

void BatchRunner::Run::ended(std::uint64_t index, Clock::time_point began,
                             CallOutcome outcome, bool on_thread) {
  Clock::time_point now = Clock::now();
  BatchOutcome result{index, std::move(outcome.outputs),
                      std::move(outcome.error), now - began};
  // Notified under the lock: once the run sees the last item end it may
  // return and destroy this object, which this thread must not touch after.
  std::lock_guard lock(mutex_);
  thread_calls_ -= on_thread;
  handles_.erase(index);
  ended_.push_back(Ended{std::move(result), began});
  wake_.notify_one();
}

void BatchRunner::Run::deliver(
    const std::function<void(BatchOutcome)> &on_outcome) {
  while (true) {
    std::optional<Ended> next;
    {
      std::lock_guard lock(mutex_);
      if (ended_.empty())
        return;
      next = std::move(ended_.front());
      ended_.pop_front();
      --in_flight_;
      ++done_;
      failed_ += next->outcome.error != nullptr;
    }
    latencies_.add(next->outcome.latency);
    if (timeline_)
      timeline_->item(static_cast<std::int64_t>(next->outcome.index),
                      next->began, next->began + next->outcome.latency,
                      next->outcome.error != nullptr);
    on_outcome(std::move(next->outcome));
  }
}

void BatchRunner::Run::cancel_in_flight() {
  std::vector<CallHandle> handles;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_)
      return;
    cancelled_ = true;
    for (const auto &[index, handle] : handles_)
      handles.push_back(handle);
  }
  // Unlocked: a cancelled call may end right here, and ended() locks.
  for (const CallHandle &handle : handles)
    handle.cancel();
}

BatchProgress BatchRunner::Run::progress() const {
  BatchProgress progress;
  {
    std::lock_guard lock(mutex_);
    progress.done = done_;
    progress.failed = failed_;
    progress.in_flight = in_flight_;
  }
  progress.total = total_;
  for (const ops::EndpointUsage &usage : usage_since(usage_before_)) {
    progress.retries += usage.retries;
    progress.prompt_tokens += usage.prompt_tokens;
    progress.completion_tokens += usage.completion_tokens;
  }
  progress.elapsed = Clock::now() - began_;
  batch::derive_rates(progress);
  return progress;
}

void BatchRunner::Run::report_progress(Clock::time_point now) {
  if (!options_.on_progress || now < next_progress_)
    return;
  next_progress_ = now + options_.progress_interval;
  options_.on_progress(progress());
}

BatchSummary BatchRunner::Run::summary() {
  BatchSummary summary;
  summary.progress = progress();
  summary.abandoned = summary.progress.in_flight;
  batch::derive_summary_figures(summary, latencies_);
  summary.stopped = !source_ended_;
  summary.cancelled = cancelled_;
  summary.endpoints = usage_since(usage_before_);
  if (timeline_)
    summary.node_times = timeline_->node_times();
  return summary;
}

BatchSummary BatchRunner::Run::execute(
    BatchSource &source, const std::function<void(BatchOutcome)> &on_outcome) {
  total_ = source.total();
  if (!async_)
    threads_ = std::make_unique<batch::ThreadCallers>(thread_limit_);
  next_progress_ = began_ + options_.progress_interval;
  std::exception_ptr failure;
  try {
    while (true) {
      bool cancelling = cancel_.load(std::memory_order_relaxed);
      if (cancelling)
        cancel_in_flight();
      bool more = fill(source);
      deliver(on_outcome);
      {
        std::unique_lock lock(mutex_);
        // Calls holding threads cannot be cancelled: once only they are
        // left, the run stops waiting for them, and they end in the
        // background.
        if (cancelling && threads_ &&
            in_flight_ == ended_.size() + thread_calls_) {
          lock.unlock();
          threads_->abandon();
          break;
        }
        if (!more && in_flight_ == 0 && ended_.empty())
          break;
        // Room for another item means there is work right away.
        if (ended_.empty() && (!more || !room()))
          wake_.wait_for(lock, poll_interval);
      }
      // A stop or a cancellation is news: reported at once.
      bool stopping = stop_.load(std::memory_order_relaxed);
      if (stopping != reported_stop_ || cancelling != reported_cancel_) {
        reported_stop_ = stopping;
        reported_cancel_ = cancelling;
        next_progress_ = Clock::now();
      }
      report_progress(Clock::now());
    }
  } catch (...) {
    failure = std::current_exception();
  }
  if (failure) {
    // The callback or the source threw: no item starts any more, and those
    // in flight are cancelled and waited for (their outcomes dropped), as
    // their calls refer to this run.
    cancel_in_flight();
    std::unique_lock lock(mutex_);
    wake_.wait(lock, [&] { return in_flight_ == ended_.size(); });
    lock.unlock();
    threads_.reset();
    std::rethrow_exception(failure);
  }
  threads_.reset();
  if (options_.on_progress)
    options_.on_progress(progress());
  return summary();
}

BatchRunner::BatchRunner(OperatorPtr op, BatchOptions options)
    : op_(std::move(op)), options_(std::move(options)) {
  validate(op_, options_);
}

BatchRunner::~BatchRunner() = default;

BatchSummary
BatchRunner::run(BatchSource &source,
                 const std::function<void(BatchOutcome)> &on_outcome) {
  // A stop or cancel that came before the run (a Ctrl-C just after xcs-run
  // said it handles them) applies to it: the flags clear when the run
  // ends, for the next one, not when it starts.
  struct ClearRequests {
    BatchRunner &runner;
    ~ClearRequests() {
      runner.stop_requested_.store(false);
      runner.cancel_requested_.store(false);
    }
  } clear_requests{*this};
  // Opened per run: a run's file holds that run, written when it ends.
  std::shared_ptr<Timeline> timeline =
      Timeline::open_configured(options_.timeline);
  run_ = std::make_shared<Run>(op_, options_, timeline, stop_requested_,
                               cancel_requested_);
  BatchSummary summary = run_->execute(source, on_outcome);
  if (timeline)
    timeline->write();
  return summary;
}

void BatchRunner::stop() noexcept {
  stop_requested_.store(true, std::memory_order_relaxed);
}

void BatchRunner::cancel() noexcept {
  stop_requested_.store(true, std::memory_order_relaxed);
  cancel_requested_.store(true, std::memory_order_relaxed);
}

BatchProgress BatchRunner::progress() const {
  return run_ ? run_->progress() : BatchProgress{};
}

} // namespace xcs
