//===- worker_pool.cpp - Threads that help runs ---------------------------===//

#include "Runtime/worker_pool.h"

#include <algorithm>
#include <new>
#include <system_error>

namespace xcs::runtime {

WorkerPool::WorkerPool(unsigned max_threads) : max_threads_(max_threads) {}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread &thread : threads_)
    thread.join();
}

bool WorkerPool::request(Helpable &job, unsigned count,
                         unsigned thread_limit) noexcept {
  unsigned wake = 0;
  {
    std::lock_guard lock(mutex_);
    try {
      requests_.insert(requests_.end(), count, &job);
    } catch (const std::bad_alloc &) {
      return false;
    }
    wake = std::min(count, sleeping_);
    sleeping_ -= wake;
    wakeups_ += wake;
    start_threads(count - wake, thread_limit);
  }
  // Each notify is a system call when a thread sleeps; made outside the
  // lock, so that woken threads do not block on it at once.
  for (unsigned i = 0; i < wake; ++i)
    wake_.notify_one();
  return true;
}

void WorkerPool::start_threads(unsigned wanted, unsigned thread_limit) {
  std::size_t limit = std::min(thread_limit, max_threads_);
  for (; wanted > 0 && threads_.size() < limit; --wanted) {
    try {
      threads_.emplace_back([this] { serve(); });
    } catch (const std::system_error &) {
      return;
    } catch (const std::bad_alloc &) {
      return;
    }
  }
}

unsigned WorkerPool::withdraw(Helpable &job) noexcept {
  std::lock_guard lock(mutex_);
  return static_cast<unsigned>(std::erase(requests_, &job));
}

unsigned WorkerPool::threads() const {
  std::lock_guard lock(mutex_);
  return static_cast<unsigned>(threads_.size());
}

void WorkerPool::serve() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (!requests_.empty()) {
      Helpable *job = requests_.front();
      requests_.pop_front();
      lock.unlock();
      job->help();
      lock.lock();
      continue;
    }
    if (stopping_)
      return;
    ++sleeping_;
    wake_.wait(lock, [this] { return wakeups_ > 0 || stopping_; });
    if (wakeups_ > 0)
      --wakeups_;
    else
      --sleeping_;
  }
}

} // namespace xcs::runtime
