//===- Core/timer_service.h - Callbacks at deadlines ------------*- C++ -*-===//
///
/// \file
/// One thread for the whole process runs callbacks when their deadlines
/// pass: the latency of a simulated model call, a retry's backoff. A
/// waiting call then holds no thread of its own. The thread starts on first
/// use; callbacks run on it one at a time and must not block.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace xcs::detail {

class TimerService {
public:
  using Clock = std::chrono::steady_clock;
  using Id = std::uint64_t;

  /// The process-wide service. Never destroyed: timers may still be due
  /// during static destruction.
  static TimerService &global();

  /// Runs \p callback on the timer thread once \p deadline has passed.
  Id schedule(Clock::time_point deadline, std::function<void()> callback);
  /// Whether the timer was removed before it ran (then it never runs).
  bool cancel(Id id);

private:
  TimerService() = default;
  void run();

  using Timers = std::multimap<Clock::time_point,
                               std::pair<Id, std::function<void()>>>;
  std::mutex mutex_;
  std::condition_variable changed_;
  Timers timers_;
  std::unordered_map<Id, Timers::iterator> by_id_;
  Id next_id_ = 1;
  bool started_ = false;
};

} // namespace xcs::detail
