//===- Runtime/worker_pool.h - Threads that help runs -----------*- C++ -*-===//
///
/// \file
/// A WorkerPool is a set of threads that sleep until a run asks for help.
/// A run asks for a number of helpers; each request is served by one thread,
/// which calls the run's help() and goes back to sleep when it returns.
///
/// The pool starts no thread until asked, and then only as many as requests
/// are waiting beyond the sleeping threads, up to the largest limit any
/// request has given (never beyond the pool's own bound). Threads never
/// spin: an idle thread blocks on a condition variable and costs no CPU.
///
/// No run depends on its requests being served: the thread that started a
/// run can do all of its work, so a pool whose threads are all busy (say,
/// each waiting on a nested run) slows runs down but never blocks them. A
/// run withdraws the requests no thread has taken before it finishes.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace xcs::runtime {

/// What a pool thread helps with.
class Helpable {
public:
  /// Does work until there is none left for a helper; runs on a pool
  /// thread, once per request taken.
  virtual void help() noexcept = 0;

protected:
  ~Helpable() = default;
};

class WorkerPool {
public:
  /// A pool that never runs more than \p max_threads threads.
  explicit WorkerPool(unsigned max_threads);
  /// Stops and joins the threads. No request may be pending.
  ~WorkerPool();
  WorkerPool(const WorkerPool &) = delete;
  WorkerPool &operator=(const WorkerPool &) = delete;

  /// Asks \p count threads to help \p job, starting threads while fewer
  /// are asleep than requests wait, up to \p thread_limit threads in all.
  /// Returns false, having queued nothing, when the requests cannot be
  /// stored; the job then simply gets no help.
  bool request(Helpable &job, unsigned count, unsigned thread_limit) noexcept;
  /// Removes the requests for \p job that no thread has taken yet and
  /// returns how many there were.
  unsigned withdraw(Helpable &job) noexcept;

  /// How many threads the pool has started.
  unsigned threads() const;

private:
  void serve();
  /// Starts threads until \p wanted more are running or the limit is
  /// reached. A thread that cannot be started is not retried now: the
  /// waiting requests are served by others or withdrawn.
  void start_threads(unsigned wanted, unsigned thread_limit);

  const unsigned max_threads_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  /// One entry per request not yet taken.
  std::deque<Helpable *> requests_;
  std::vector<std::thread> threads_;
  /// Threads blocked waiting for a request and not yet woken.
  unsigned sleeping_ = 0;
  /// Wake-ups sent and not yet taken by a thread. A thread leaves its wait
  /// only by taking one, so a spurious wake-up costs nothing and every
  /// wake-up sent moves exactly one sleeping thread.
  unsigned wakeups_ = 0;
  bool stopping_ = false;
};

} // namespace xcs::runtime
