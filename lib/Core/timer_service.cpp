//===- timer_service.cpp - Callbacks at deadlines -------------------------===//

#include "Core/timer_service.h"

namespace xcs::detail {

TimerService &TimerService::global() {
  static TimerService *service = new TimerService();
  return *service;
}

TimerService::Id TimerService::schedule(Clock::time_point deadline,
                                        std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  if (!started_) {
    started_ = true;
    std::thread([this] { run(); }).detach();
  }
  Id id = next_id_++;
  by_id_[id] = timers_.emplace(deadline, std::pair(id, std::move(callback)));
  changed_.notify_one();
  return id;
}

bool TimerService::cancel(Id id) {
  std::lock_guard lock(mutex_);
  auto found = by_id_.find(id);
  if (found == by_id_.end())
    return false;
  timers_.erase(found->second);
  by_id_.erase(found);
  return true;
}

void TimerService::run() {
  std::unique_lock lock(mutex_);
  while (true) {
    if (timers_.empty()) {
      changed_.wait(lock);
      continue;
    }
    auto first = timers_.begin();
    if (first->first > Clock::now()) {
      changed_.wait_until(lock, first->first);
      continue;
    }
    std::function<void()> callback = std::move(first->second.second);
    by_id_.erase(first->second.first);
    timers_.erase(first);
    lock.unlock();
    callback();
    lock.lock();
  }
}

} // namespace xcs::detail
