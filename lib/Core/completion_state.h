//===- Core/completion_state.h - Where an async outcome goes ----*- C++ -*-===//
///
/// \file
/// The shared state behind a Completion (xcs/async.h): it enforces that a
/// call completes exactly once, carries the cancellation request, and hands
/// the outcome to whoever waits for it: a blocked eager caller, or a
/// compiled run whose task the call suspended (Runtime).
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/async.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>

namespace xcs::detail {

class CompletionState {
public:
  /// For a call of \p op, which outlives the call.
  explicit CompletionState(const Operator &op) : op_(op) {}
  virtual ~CompletionState();
  CompletionState(const CompletionState &) = delete;
  CompletionState &operator=(const CompletionState &) = delete;

  /// Hands the outcome (outputs, or error when \p error is set) to
  /// finish() if it is the first; false if an outcome came before.
  bool deliver(std::optional<Record> outputs, std::exception_ptr error);
  /// Whether an outcome was delivered.
  bool delivered() const { return delivered_.load(std::memory_order_acquire); }

  /// Runs \p start, which starts the call with a Completion of this state.
  /// An exception it throws fails the call, unless the call completed
  /// first; a Completion dropped before it returns fails the call only
  /// after that, so that the exception, if any, is the outcome.
  template <typename Start> void start_call(Start &&start) {
    {
      std::lock_guard lock(mutex_);
      starting_ = true;
    }
    std::exception_ptr thrown;
    try {
      start();
    } catch (...) {
      thrown = std::current_exception();
    }
    bool dropped;
    {
      std::lock_guard lock(mutex_);
      starting_ = false;
      dropped = dropped_;
    }
    if (thrown)
      deliver(std::nullopt, std::move(thrown));
    else if (dropped)
      deliver(std::nullopt, dropped_error());
  }
  /// A Completion of this state was destroyed without completing.
  void drop();

  /// Requests cancellation: runs the on_cancel callback, once.
  void request_cancel();
  bool cancel_requested() const;
  void on_cancel(std::function<void()> callback);

  const Operator &op() const { return op_; }

protected:
  /// Receives the call's outcome, exactly once, on the completing thread.
  virtual void finish(std::optional<Record> outputs,
                      std::exception_ptr error) noexcept = 0;

private:
  std::exception_ptr dropped_error() const;

  const Operator &op_;
  std::atomic<bool> delivered_{false};
  /// Guards the members below.
  mutable std::mutex mutex_;
  bool starting_ = false;
  bool dropped_ = false;
  bool cancelled_ = false;
  std::function<void()> on_cancel_;
};

} // namespace xcs::detail
