//===- rendezvous.h - Synchronization for concurrency tests -----*- C++ -*-===//
///
/// \file
/// Tests prove that work overlaps by making it meet: a member that waits on
/// a barrier only returns once every party is running at the same time.
/// Every wait here gives up after a timeout, so a test whose parties never
/// meet fails instead of hanging.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace xcs::test {

/// Long enough for a loaded machine under ThreadSanitizer.
inline constexpr std::chrono::seconds rendezvous_timeout{60};

/// A barrier of a fixed number of parties, reusable round after round.
class TimedBarrier {
public:
  explicit TimedBarrier(int parties) : parties_(parties) {}

  /// Waits until every party of this round has arrived; false on timeout.
  bool arrive_and_wait() {
    std::unique_lock lock(mutex_);
    std::uint64_t round = round_;
    if (++arrived_ == parties_) {
      arrived_ = 0;
      ++round_;
      all_arrived_.notify_all();
      return true;
    }
    return all_arrived_.wait_for(lock, rendezvous_timeout,
                                 [&] { return round_ != round; });
  }

private:
  const int parties_;
  std::mutex mutex_;
  std::condition_variable all_arrived_;
  int arrived_ = 0;
  std::uint64_t round_ = 0;
};

/// A one-shot signal.
class Event {
public:
  void set() {
    std::lock_guard lock(mutex_);
    set_ = true;
    changed_.notify_all();
  }
  /// Waits until set(); false on timeout.
  bool wait() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, rendezvous_timeout, [&] { return set_; });
  }

private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool set_ = false;
};

/// How many threads are inside some region now, and at most.
class Occupancy {
public:
  void enter() {
    int now = ++now_;
    int peak = peak_.load();
    while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
    }
  }
  void leave() { --now_; }
  int peak() const { return peak_.load(); }

private:
  std::atomic<int> now_{0};
  std::atomic<int> peak_{0};
};

} // namespace xcs::test
