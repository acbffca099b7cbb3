//===- thread_callers.cpp - Threads for blocking calls --------------------===//

#include "Batch/thread_callers.h"

#include <condition_variable>
#include <deque>
#include <mutex>

namespace xcs::batch {

/// What the threads share with the set, and keep once abandoned.
struct ThreadCallers::Shared {
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void()>> queue;
  unsigned idle = 0;
  bool closing = false;

  void serve() {
    std::unique_lock lock(mutex);
    while (true) {
      ++idle;
      wake.wait(lock, [&] { return closing || !queue.empty(); });
      --idle;
      if (queue.empty())
        return;
      std::function<void()> call = std::move(queue.front());
      queue.pop_front();
      lock.unlock();
      call();
      // What the call holds goes before the lock is taken again.
      call = nullptr;
      lock.lock();
    }
  }
};

ThreadCallers::ThreadCallers(unsigned threads)
    : limit_(threads), shared_(std::make_shared<Shared>()) {}

ThreadCallers::~ThreadCallers() {
  {
    std::lock_guard lock(shared_->mutex);
    shared_->closing = true;
  }
  shared_->wake.notify_all();
  for (std::thread &thread : threads_)
    thread.join();
}

void ThreadCallers::post(std::function<void()> call) {
  std::lock_guard lock(shared_->mutex);
  shared_->queue.push_back(std::move(call));
  // A thread is started only when none waits, up to the limit.
  if (shared_->idle < shared_->queue.size() && threads_.size() < limit_)
    threads_.emplace_back([shared = shared_] { shared->serve(); });
  else
    shared_->wake.notify_one();
}

void ThreadCallers::abandon() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard lock(shared_->mutex);
    shared_->closing = true;
    dropped.swap(shared_->queue);
  }
  shared_->wake.notify_all();
  for (std::thread &thread : threads_)
    thread.detach();
  threads_.clear();
}

} // namespace xcs::batch
