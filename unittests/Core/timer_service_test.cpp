//===- timer_service_test.cpp - Callbacks at deadlines --------------------===//

#include "Core/timer_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

namespace xcs::detail {
namespace {

using namespace std::chrono_literals;
using Clock = TimerService::Clock;

/// What the callbacks ran, in order, and a way to wait for a count.
class Log {
public:
  std::function<void()> note(std::string what) {
    return [this, what = std::move(what)] {
      std::lock_guard lock(mutex_);
      entries_.push_back(what);
      changed_.notify_all();
    };
  }
  /// The entries once there are \p count, or what there is after a minute.
  std::vector<std::string> wait_for(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 60s, [&] { return entries_.size() >= count; });
    return entries_;
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> entries_;
};

TEST(TimerService, RunsCallbacksInDeadlineOrder) {
  TimerService &timers = TimerService::global();
  Log log;
  Clock::time_point now = Clock::now();
  timers.schedule(now + 30ms, log.note("third"));
  timers.schedule(now + 10ms, log.note("first"));
  timers.schedule(now + 20ms, log.note("second"));
  timers.schedule(now + 30ms, log.note("fourth (same deadline, later)"));
  EXPECT_EQ(log.wait_for(4),
            (std::vector<std::string>{"first", "second", "third",
                                      "fourth (same deadline, later)"}));
}

// The thread sleeps until the first deadline; a timer due before it must
// wake it, or it would wait the hour.
TEST(TimerService, AnEarlierTimerWakesTheThread) {
  TimerService &timers = TimerService::global();
  Log log;
  TimerService::Id late = timers.schedule(Clock::now() + 1h, log.note("late"));
  timers.schedule(Clock::now() + 1ms, log.note("early"));
  EXPECT_EQ(log.wait_for(1), std::vector<std::string>{"early"});
  EXPECT_TRUE(timers.cancel(late));
}

TEST(TimerService, ACancelledTimerNeverRuns) {
  TimerService &timers = TimerService::global();
  Log log;
  TimerService::Id cancelled =
      timers.schedule(Clock::now() + 5ms, log.note("cancelled"));
  EXPECT_TRUE(timers.cancel(cancelled));
  EXPECT_FALSE(timers.cancel(cancelled)) << "cancelled twice";
  timers.schedule(Clock::now() + 20ms, log.note("after"));
  EXPECT_EQ(log.wait_for(1), std::vector<std::string>{"after"});
}

TEST(TimerService, CancellingATimerThatRanFails) {
  TimerService &timers = TimerService::global();
  Log log;
  TimerService::Id ran = timers.schedule(Clock::now(), log.note("ran"));
  EXPECT_EQ(log.wait_for(1), std::vector<std::string>{"ran"});
  EXPECT_FALSE(timers.cancel(ran));
}

} // namespace
} // namespace xcs::detail
