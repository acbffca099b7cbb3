//===- async.cpp - Operators whose calls complete later -------------------===//

#include "xcs/async.h"

#include "Core/call_observer.h"
#include "Core/completion_state.h"
#include "Core/startable.h"
#include "Core/timeline_hooks.h"
#include "Core/trace_hooks.h"
#include "xcs/error.h"

#include <condition_variable>
#include <utility>

namespace xcs {
namespace detail {

CompletionState::~CompletionState() = default;

bool CompletionState::deliver(std::optional<Record> outputs,
                              std::exception_ptr error) {
  if (delivered_.exchange(true, std::memory_order_acq_rel))
    return false;
  // A completed call has nothing to cancel. The callback often holds the
  // call's Completion, which holds this state: dropping it breaks the
  // cycle. It is dropped outside the lock, since that may destroy the
  // Completion.
  std::function<void()> callback;
  {
    std::lock_guard lock(mutex_);
    callback = std::move(on_cancel_);
  }
  finish(std::move(outputs), std::move(error));
  return true;
}

void CompletionState::drop() {
  {
    std::lock_guard lock(mutex_);
    if (starting_) {
      dropped_ = true;
      return;
    }
  }
  deliver(std::nullopt, dropped_error());
}

std::exception_ptr CompletionState::dropped_error() const {
  return std::make_exception_ptr(Error("asynchronous call of operator '" +
                                       op_.name() +
                                       "' was dropped without completing"));
}

void CompletionState::request_cancel() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mutex_);
    if (cancelled_)
      return;
    cancelled_ = true;
    callback = std::move(on_cancel_);
  }
  if (callback)
    callback();
}

bool CompletionState::cancel_requested() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

void CompletionState::on_cancel(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    // After the outcome there is nothing to cancel, and keeping the
    // callback would keep what it holds alive (see deliver).
    if (delivered())
      return;
    if (!cancelled_) {
      on_cancel_ = std::move(callback);
      return;
    }
  }
  callback();
}

namespace {

/// The state of an eager call: the caller blocks until the outcome comes.
class Waiter final : public CompletionState {
public:
  using CompletionState::CompletionState;

  Record wait() {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&] { return finished_; });
    // Taken out, not copied: the completing thread may drop this state
    // last, and the exception must then not be freed there while the
    // caller still reads it (libstdc++'s exception counts are invisible to
    // ThreadSanitizer).
    if (error_)
      std::rethrow_exception(std::exchange(error_, nullptr));
    return std::move(*outputs_);
  }

private:
  void finish(std::optional<Record> outputs,
              std::exception_ptr error) noexcept override {
    std::lock_guard lock(mutex_);
    outputs_ = std::move(outputs);
    error_ = std::move(error);
    finished_ = true;
    done_.notify_one();
  }

  std::mutex mutex_;
  std::condition_variable done_;
  bool finished_ = false;
  std::optional<Record> outputs_;
  std::exception_ptr error_;
};

/// The state of a call_async() call: the outcome goes to a callback.
class CallbackState final : public CompletionState {
public:
  CallbackState(const Operator &op, std::function<void(CallOutcome)> on_done)
      : CompletionState(op), on_done_(std::move(on_done)),
        item_(current_item) {}

  /// The call's span, when a timeline recorded its start. Set before the
  /// call starts, read when it completes.
  std::optional<CallSpan> span;

private:
  void finish(std::optional<Record> outputs,
              std::exception_ptr error) noexcept override {
    if (!error) {
      try {
        op().spec().validate_outputs(op().name(), *outputs);
      } catch (...) {
        error = std::current_exception();
      }
    }
    if (error)
      outputs.reset();
    if (span) {
      span->end = TimelineClock::now();
      span->failed = error != nullptr;
      report_call(std::move(*span));
    }
    // The work that continues from here is the same item's.
    ItemScope scope(item_);
    std::function<void(CallOutcome)> on_done = std::move(on_done_);
    on_done(CallOutcome{std::move(outputs), std::move(error)});
  }

  std::function<void(CallOutcome)> on_done_;
  std::int64_t item_;
};

} // namespace
} // namespace detail

Completion::Completion(std::shared_ptr<detail::CompletionState> state)
    : state_(std::move(state)) {}
Completion::Completion(Completion &&) noexcept = default;

Completion &Completion::operator=(Completion &&other) noexcept {
  if (this != &other) {
    Completion dropped(std::move(*this));
    state_ = std::move(other.state_);
  }
  return *this;
}

Completion::~Completion() {
  if (state_ && !state_->delivered())
    state_->drop();
}

void Completion::complete(Record outputs) {
  if (!state_)
    throw Error("complete() on an empty Completion (moved from)");
  if (!state_->deliver(std::move(outputs), nullptr))
    throw Error("asynchronous call of operator '" + state_->op().name() +
                "' completed twice");
}

void Completion::fail(std::exception_ptr error) {
  if (!state_)
    throw Error("fail() on an empty Completion (moved from)");
  if (!error)
    error = std::make_exception_ptr(
        Error("operator '" + state_->op().name() + "' failed with no error"));
  if (!state_->deliver(std::nullopt, std::move(error)))
    throw Error("asynchronous call of operator '" + state_->op().name() +
                "' completed twice");
}

bool Completion::cancel_requested() const {
  return state_ && state_->cancel_requested();
}

void Completion::on_cancel(std::function<void()> on_cancel) {
  if (state_)
    state_->on_cancel(std::move(on_cancel));
}

void CallHandle::cancel() const {
  if (state_)
    state_->request_cancel();
}

namespace detail {

Startable::~Startable() = default;

bool starts_without_thread(const Operator &op, const Record &inputs) {
  // An observer (a tracer, a recovery) must see the call as operator()
  // makes it, on this thread.
  if (current_observer)
    return false;
  if (op.as_async())
    return true;
  const auto *startable = dynamic_cast<const Startable *>(&op);
  return startable && startable->can_start(inputs);
}

std::optional<CallHandle>
start_without_thread(const Operator &op, const Record &inputs,
                     std::function<void(CallOutcome)> &on_done) {
  if (!starts_without_thread(op, inputs))
    return std::nullopt;
  const AsyncOperator *async = op.as_async();
  const auto *startable =
      async ? nullptr : dynamic_cast<const Startable *>(&op);
  auto state = std::make_shared<CallbackState>(op, std::move(on_done));
  if (timeline_recording())
    state->span = begin_span(op, std::exchange(current_node, no_node),
                             /*async=*/true);
  state->start_call([&] {
    // What operator() does before a call while a trace lives elsewhere: it
    // must hear of its values used here.
    if (live_tracers.load(std::memory_order_relaxed) != 0)
      check_untracked_call(op, inputs);
    op.spec().validate_inputs(op.name(), inputs);
    if (async)
      async->start(inputs, Completion(state));
    else
      startable->start(inputs, Completion(state));
  });
  return CallHandle(std::move(state));
}

} // namespace detail

CallHandle call_async(const Operator &op, const Record &inputs,
                      std::function<void(CallOutcome)> on_done) {
  if (std::optional<CallHandle> handle =
          detail::start_without_thread(op, inputs, on_done))
    return std::move(*handle);
  CallOutcome outcome;
  try {
    outcome.outputs = op(inputs);
  } catch (...) {
    outcome.error = std::current_exception();
  }
  on_done(std::move(outcome));
  return CallHandle();
}

Record AsyncOperator::forward(const Record &inputs) const {
  auto waiter = std::make_shared<detail::Waiter>(*this);
  waiter->start_call([&] { start(inputs, Completion(waiter)); });
  return waiter->wait();
}

} // namespace xcs
