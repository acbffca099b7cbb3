//===- xcs/async.h - Operators whose calls complete later -------*- C++ -*-===//
///
/// \file
/// A model call spends its time waiting. An AsyncOperator does not hold a
/// thread while it waits: start() begins the work (a request on the I/O
/// thread, a timer) and returns; the work later completes its Completion
/// exactly once, with a record or an exception, from any thread. A
/// compiled plan suspends the call's task meanwhile, so thousands of calls
/// can be in flight on a handful of threads (docs/execution.md).
///
/// Calling an AsyncOperator as any operator (operator(), eagerly, under a
/// trace) starts the call and blocks until it completes, so every semantic
/// of a plain operator holds: validation, tracing, exceptions.
///
/// A user-written asynchronous operator:
///
///   class Delayed : public xcs::AsyncOperator, public xcs::StructureDependency {
///   public:
///     Delayed() : AsyncOperator("Delayed", spec) {}
///     void start(const xcs::Record &in, xcs::Completion done) const override {
///       std::thread([in, done = std::move(done)]() mutable {
///         done.complete(xcs::Record{{"y", in.at("x")}});
///       }).detach();
///     }
///     ...
///   };
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace xcs {

namespace detail {
class CompletionState;
} // namespace detail

/// The one-shot handle through which an asynchronous call reports its
/// outcome. Move-only. Completing it twice throws xcs::Error (the second
/// outcome is not delivered); a handle destroyed without completing fails
/// the call with an xcs::Error saying so, so a call is never lost.
class Completion {
public:
  /// Internal: a handle delivering to \p state.
  explicit Completion(std::shared_ptr<detail::CompletionState> state);
  Completion(Completion &&) noexcept;
  Completion &operator=(Completion &&) noexcept;
  Completion(const Completion &) = delete;
  Completion &operator=(const Completion &) = delete;
  ~Completion();

  /// Delivers the call's result. Its outputs are validated against the
  /// operator's specification, as a plain call's are.
  void complete(Record outputs);
  /// Delivers the call's failure.
  void fail(std::exception_ptr error);
  /// Completes with what \p compute returns, or fails with what it throws.
  /// The exception is delivered once its catch block has ended, so that
  /// this thread keeps no hold on it: the caller that receives it frees it
  /// on its own thread (ThreadSanitizer cannot see the exception's count
  /// inside the C++ runtime, and would report the free here as a race).
  template <typename Compute> void complete_with(Compute &&compute) {
    std::exception_ptr error;
    try {
      complete(compute());
      return;
    } catch (...) {
      error = std::current_exception();
    }
    fail(std::move(error));
  }

  /// Whether the caller no longer needs the outcome (another node of the
  /// run failed). The call should stop early; it must still complete
  /// (fail() is the usual answer), and its outcome is ignored.
  bool cancel_requested() const;
  /// Runs \p on_cancel once when cancellation is requested: on the
  /// requesting thread, or right here if it was requested already. It must
  /// not block; typically it aborts a transfer or a timer.
  void on_cancel(std::function<void()> on_cancel);

private:
  std::shared_ptr<detail::CompletionState> state_;
};

/// An operator whose calls complete later, from any thread.
class AsyncOperator : public Operator {
public:
  AsyncOperator(std::string name, Specification spec)
      : Operator(std::move(name), std::move(spec)) {
    async_ = this;
  }

  /// Starts a call on validated \p inputs. The call must complete \p done
  /// exactly once, from any thread, possibly before start() returns. An
  /// exception thrown by start() fails the call, as a throwing forward()
  /// does. start() may be called from several threads at once.
  virtual void start(const Record &inputs, Completion done) const = 0;

  /// The eager call: starts the call and blocks until it completes; returns
  /// its result or throws its exception.
  Record forward(const Record &inputs) const final;
};

/// What a call started by call_async() ended with: its result, or (when
/// `error` is set) its exception.
struct CallOutcome {
  std::optional<Record> outputs;
  std::exception_ptr error;
};

/// A call started by call_async(), for asking it to cancel.
class CallHandle {
public:
  CallHandle() = default;
  /// Internal: a handle to the call whose state is \p state.
  explicit CallHandle(std::shared_ptr<detail::CompletionState> state)
      : state_(std::move(state)) {}
  /// Asks the call to cancel (Completion::cancel_requested()); it still
  /// completes, usually with a failure. Any thread; never blocks.
  void cancel() const;

private:
  std::shared_ptr<detail::CompletionState> state_;
};

/// Calls \p op on \p inputs as operator() does (inputs and outputs
/// validated, exceptions kept), without waiting for an asynchronous
/// operator: its start() runs here, and \p on_done runs exactly once, with
/// the outcome, on the thread that completes the call (possibly this one,
/// before call_async returns). So a program may keep thousands of calls in
/// flight on one thread, as xcs::BatchRunner does. So does a jit operator
/// whose plan is built and makes only asynchronous calls: the plan runs
/// without holding this thread while they wait. Any other operator, and
/// any call while a trace records, runs to its end on this thread, then
/// \p on_done runs. \p op must outlive the call. \p on_done must not
/// block: it may run on the I/O or timer thread.
CallHandle call_async(const Operator &op, const Record &inputs,
                      std::function<void(CallOutcome)> on_done);

} // namespace xcs
