//===- Core/timer_service.h - Callbacks at deadlines ------------*- C++ -*-===//
///
/// \file
/// One thread for the whole process runs callbacks when their deadlines
/// pass: the latency of a simulated model call, a retry's backoff. A
/// waiting call then holds no thread of its own. The thread starts on first
/// use; callbacks run on it one at a time and must not block.
///
/// Scheduling wakes the thread only when the new timer is due before every
/// other: thousands of calls started together with one latency cost one
/// wake-up, not one each.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <utility>

namespace xcs::detail {

class TimerService {
public:
  using Clock = std::chrono::steady_clock;
  /// Names a scheduled timer: its deadline, then a sequence number that
  /// orders timers of one deadline by when they were scheduled.
  using Id = std::pair<Clock::time_point, std::uint64_t>;

  /// The process-wide service. Never destroyed: timers may still be due
  /// during static destruction.
  static TimerService &global();

  /// Runs \p callback on the timer thread once \p deadline has passed.
  Id schedule(Clock::time_point deadline, std::function<void()> callback);
  /// Whether the timer was removed before it ran (then it never runs).
  bool cancel(const Id &id);

private:
  TimerService() = default;
  void run();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<Id, std::function<void()>> timers_;
  std::uint64_t next_sequence_ = 0;
  bool started_ = false;
};

} // namespace xcs::detail
