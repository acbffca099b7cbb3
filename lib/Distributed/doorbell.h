//===- Distributed/doorbell.h - Waking the communication thread -*- C++ -*-===//
///
/// \file
/// A rank's communication thread has two kinds of news: messages from other
/// ranks, which only polling MPI finds, and work from its own threads (an
/// outcome to send, a permit to ask for, lines running low), which can ring
/// it awake. So it sleeps between turns for a while that doubles, from
/// 50 us to 200 us, while it finds nothing to do, and its own threads cut
/// the sleep short. Measured on a job of 2 ranks running 50 ms items one at
/// a time: a fixed 100 us sleep cost the ranks 0.69 s of CPU in 3 s; this
/// costs 0.53 s (0.43 s with a 500 us ceiling, which doubled a remote
/// permit's latency to 2 ms: 200 us keeps it near 1 ms).
///
//===----------------------------------------------------------------------===//
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace xcs::distributed {

class Doorbell {
public:
  /// Wakes the communication thread if it sleeps; any thread.
  void ring() {
    {
      std::lock_guard lock(mutex_);
      rung_ = true;
    }
    rung_changed_.notify_one();
  }

  /// Called by the communication thread after each turn: \p busy when the
  /// turn did something. Sleeps unless busy, until rung or the backoff's
  /// time.
  void rest(bool busy) {
    if (busy) {
      sleep_ = shortest;
      return;
    }
    std::unique_lock lock(mutex_);
    rung_changed_.wait_for(lock, sleep_, [&] { return rung_; });
    if (rung_)
      sleep_ = shortest;
    else
      sleep_ = std::min(sleep_ * 2, longest);
    rung_ = false;
  }

private:
  static constexpr std::chrono::microseconds shortest{50};
  static constexpr std::chrono::microseconds longest{200};

  std::mutex mutex_;
  std::condition_variable rung_changed_;
  bool rung_ = false;
  std::chrono::microseconds sleep_ = shortest;
};

} // namespace xcs::distributed
