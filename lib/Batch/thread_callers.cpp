//===- thread_callers.cpp - Threads for blocking calls --------------------===//

#include "Batch/thread_callers.h"

namespace xcs::batch {

ThreadCallers::~ThreadCallers() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  wake_.notify_all();
  for (std::thread &thread : threads_)
    thread.join();
}

void ThreadCallers::post(std::function<void()> call) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(call));
  // A thread is started only when none waits, up to the limit.
  if (idle_ < queue_.size() && threads_.size() < limit_)
    threads_.emplace_back([this] { serve(); });
  else
    wake_.notify_one();
}

void ThreadCallers::serve() {
  std::unique_lock lock(mutex_);
  while (true) {
    ++idle_;
    wake_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    --idle_;
    if (queue_.empty())
      return;
    std::function<void()> call = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    call();
    call = nullptr;
    lock.lock();
  }
}

} // namespace xcs::batch
