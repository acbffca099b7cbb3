//===- timer_service.cpp - Callbacks at deadlines -------------------------===//

#include "Core/timer_service.h"

#include <thread>
#include <vector>

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
  Id id(deadline, next_sequence_++);
  auto added = timers_.emplace(id, std::move(callback)).first;
  // The thread sleeps until the first deadline; a later one changes nothing.
  if (added == timers_.begin())
    changed_.notify_one();
  return id;
}

bool TimerService::cancel(const Id &id) {
  std::lock_guard lock(mutex_);
  return timers_.erase(id) != 0;
}

void TimerService::run() {
  std::vector<std::function<void()>> due;
  std::unique_lock lock(mutex_);
  while (true) {
    if (timers_.empty()) {
      changed_.wait(lock);
      continue;
    }
    Clock::time_point now = Clock::now();
    // A copy: wait_until reads its deadline again after waking, when a
    // cancel() may have freed the timer that held it.
    Clock::time_point next = timers_.begin()->first.first;
    if (next > now) {
      changed_.wait_until(lock, next);
      continue;
    }
    // Every timer due by now, in deadline order, taken under one lock.
    auto end = timers_.upper_bound(Id(now, UINT64_MAX));
    for (auto timer = timers_.begin(); timer != end; ++timer)
      due.push_back(std::move(timer->second));
    timers_.erase(timers_.begin(), end);
    lock.unlock();
    for (std::function<void()> &callback : due)
      callback();
    due.clear();
    lock.lock();
  }
}

} // namespace xcs::detail
