//===- Batch/thread_callers.h - Threads for blocking calls ------*- C++ -*-===//
///
/// \file
/// An operator that is not asynchronous holds a thread for its call. A
/// batch run gives such calls a fixed set of threads, started as calls
/// need them; the run never queues more calls than there are threads, so
/// every call queued starts at once.
///
/// Such a call cannot be cancelled. A cancelled run stops waiting for it
/// instead: abandon() leaves the threads to end their calls in the
/// background (they own what they use) and exit.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <functional>
#include <memory>
#include <thread>
#include <vector>

namespace xcs::batch {

class ThreadCallers {
public:
  explicit ThreadCallers(unsigned threads);
  /// Waits for the calls queued to end, then joins the threads, unless
  /// abandoned.
  ~ThreadCallers();
  ThreadCallers(const ThreadCallers &) = delete;
  ThreadCallers &operator=(const ThreadCallers &) = delete;

  /// Runs \p call on one of the threads.
  void post(std::function<void()> call);
  /// Lets the threads go: each ends its call, if any, and exits, without
  /// being waited for. Calls queued and not started are dropped.
  void abandon();

  struct Shared;

private:
  const unsigned limit_;
  std::shared_ptr<Shared> shared_;
  std::vector<std::thread> threads_;
};

} // namespace xcs::batch
