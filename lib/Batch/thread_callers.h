//===- Batch/thread_callers.h - Threads for blocking calls ------*- C++ -*-===//
///
/// \file
/// An operator that is not asynchronous holds a thread for its call. A
/// batch run gives such calls a fixed set of threads, started on first use
/// and joined when the set is destroyed; the run never queues more calls
/// than there are threads, so every call queued starts at once.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace xcs::batch {

class ThreadCallers {
public:
  explicit ThreadCallers(unsigned threads) : limit_(threads) {}
  /// Waits for the calls queued to end, then joins the threads.
  ~ThreadCallers();
  ThreadCallers(const ThreadCallers &) = delete;
  ThreadCallers &operator=(const ThreadCallers &) = delete;

  /// Runs \p call on one of the threads.
  void post(std::function<void()> call);

private:
  void serve();

  const unsigned limit_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  std::vector<std::thread> threads_;
  unsigned idle_ = 0;
  bool closing_ = false;
};

} // namespace xcs::batch
