//===- xcs/batch.h - Running an operator over a dataset ---------*- C++ -*-===//
///
/// \file
/// A BatchRunner calls one operator on every item of a stream of input
/// records (an evaluation set, a labelling job), with at most
/// `max_in_flight` items started and not finished. Items are pulled from
/// the source only as room frees up, so a dataset need not fit in memory,
/// and each outcome (the output record, or the error) is handed to a
/// callback with its item's index as soon as the item ends, in the order
/// items end.
///
/// An asynchronous operator (xcs/async.h; ops::chat_model, ops::model_call,
/// or one of the user's) is started through xcs::call_async and holds no
/// thread while it waits, so thousands of items are in flight on a few
/// threads. So does a jit operator (or xcs-run's routing-IR plan) whose
/// plan is built and makes only asynchronous calls: the plan runs without
/// holding a thread while they wait. Any other call holds a thread: the
/// runner keeps `threads` of them for such calls (a jit operator's first
/// call, which builds its plan, is one).
/// Provider limits (concurrency, requests and tokens per minute, retries)
/// are the operators' own: a chat model's endpoint budgets its calls,
/// whatever the runner's width.
///
///   xcs::BatchRunner runner(xcs::ops::chat_model(options), {.max_in_flight = 256});
///   MySource source("items.jsonl");
///   xcs::BatchSummary summary = runner.run(source, [&](xcs::BatchOutcome o) {
///     write_line(o.index, o.output, o.error);
///   });
///
/// The outcome of each item is the operator's eager outcome on the item's
/// input: the runner adds no retry, cache or reordering of its own.
/// docs/batch.md describes the runner and the xcs-run tool built on it.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/chat_model.h"
#include "xcs/operator.h"
#include "xcs/record.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace xcs {

/// One item of a batch: its index and its input record, or the reason its
/// input could not be read (then the item fails with that error and the
/// operator is not called).
struct BatchItem {
  std::uint64_t index = 0;
  Record input;
  std::exception_ptr error;
};

/// Where a batch's items come from, one at a time.
class BatchSource {
public:
  virtual ~BatchSource();
  /// The next item, or nullopt once there are no more. Called only on the
  /// thread running BatchRunner::run, when an item may start.
  virtual std::optional<BatchItem> next() = 0;
  /// How many items the source gives in all, if known (for the ETA).
  virtual std::optional<std::uint64_t> total() const { return std::nullopt; }
};

/// How one item ended.
struct BatchOutcome {
  std::uint64_t index = 0;
  /// The operator's result, or null when it failed with `error`.
  std::optional<Record> output;
  std::exception_ptr error;
  /// From the item's start to its outcome.
  std::chrono::nanoseconds latency{0};
};

/// Where a run stands.
struct BatchProgress {
  /// Items ended (done includes failed), and in flight.
  std::uint64_t done = 0;
  std::uint64_t failed = 0;
  std::uint64_t in_flight = 0;
  /// From the source, if it knows.
  std::optional<std::uint64_t> total;
  /// What the chat models spent during the run (every endpoint, summed).
  std::uint64_t retries = 0;
  std::uint64_t prompt_tokens = 0;
  std::uint64_t completion_tokens = 0;
  std::chrono::nanoseconds elapsed{0};
  /// Items ended per second since the run started.
  double items_per_second = 0;
  /// At the current rate, when the total is known and an item has ended.
  std::optional<std::chrono::nanoseconds> eta;
};

/// How a run ended.
struct BatchSummary {
  BatchProgress progress;
  /// Items ended per second of wall time.
  double throughput = 0;
  /// Item latency percentiles (within 2 %).
  std::chrono::nanoseconds latency_p50{0}, latency_p95{0}, latency_p99{0};
  /// stop() was called before the source ended, and cancel().
  bool stopped = false;
  bool cancelled = false;
  /// Items of a cancelled run whose calls held a thread and could not be
  /// cancelled: the run stopped waiting for them, and delivered nothing
  /// for them (their calls end in the background).
  std::uint64_t abandoned = 0;
  /// What each chat-model endpoint spent during the run.
  std::vector<ops::EndpointUsage> endpoints;
  /// With a timeline: per plan node that made calls, {node, operator,
  /// calls, total_ns, max_ns}.
  std::vector<Record> node_times;
};

struct BatchOptions {
  /// Items started and not finished, at most. At least 1.
  std::size_t max_in_flight = 64;
  /// Threads for the calls that hold a thread (an operator that is not
  /// asynchronous, a jit operator whose plan calls one); at most this many
  /// such calls are in flight. 0: min(max_in_flight, 64).
  unsigned threads = 0;
  /// How often on_progress is called during a run; also at once when the
  /// run is stopped or cancelled, and at the end.
  std::chrono::milliseconds progress_interval{1000};
  std::function<void(const BatchProgress &)> on_progress{};
  /// Record a Chrome trace-event timeline of the run to this file: a span
  /// per operator call and per item (docs/batch.md). "" takes the
  /// environment variable XCS_TIMELINE, if set.
  std::string timeline{};
};

class BatchRunner {
public:
  /// InputError for a null operator or invalid options.
  explicit BatchRunner(OperatorPtr op, BatchOptions options = {});
  ~BatchRunner();
  BatchRunner(const BatchRunner &) = delete;
  BatchRunner &operator=(const BatchRunner &) = delete;

  /// Runs the operator on every item of \p source until the source ends
  /// (or stop()), calling \p on_outcome once per item, on this thread, as
  /// items end. Returns once every item started has ended (or was abandoned
  /// by cancel()). An exception
  /// thrown by \p on_outcome or the source stops the run: the items in
  /// flight are cancelled and waited for, then it propagates. InputError,
  /// before any item starts, for a timeline file that cannot be written.
  /// One run at a time.
  BatchSummary run(BatchSource &source,
                   const std::function<void(BatchOutcome)> &on_outcome);

  /// Stops starting items; the items in flight still end and are
  /// delivered. Any thread; async-signal-safe (a Ctrl-C handler may call
  /// it). Called before run(), it applies to the next run, which starts
  /// no item; a run clears it when it returns.
  void stop() noexcept;
  /// stop(), and asks the items in flight to cancel (xcs::CallHandle); they
  /// end with their operators' errors. A call that holds a thread cannot be
  /// cancelled: run() stops waiting for it and returns without its outcome
  /// (BatchSummary::abandoned), and it ends in the background. Any thread;
  /// async-signal-safe.
  void cancel() noexcept;

  /// Where the current (or last) run stands. Any thread.
  BatchProgress progress() const;

  class Run;

private:
  OperatorPtr op_;
  BatchOptions options_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> cancel_requested_{false};
  std::shared_ptr<Run> run_;
};

} // namespace xcs
