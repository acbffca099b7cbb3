//===- process_sampler.h - Peak threads and memory of a benchmark -*- C++ -*-===//
///
/// \file
/// A ProcessSampler reads the process's thread count and resident set from
/// /proc/self/status every millisecond while it lives, and keeps their
/// peaks: how many threads a run of thousands of calls in flight took, and
/// how much memory it held.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <atomic>
#include <thread>

namespace xcs::bench {

class ProcessSampler {
public:
  ProcessSampler();
  ~ProcessSampler();
  ProcessSampler(const ProcessSampler &) = delete;
  ProcessSampler &operator=(const ProcessSampler &) = delete;

  /// The most threads the process had, the sampler's own not counted.
  long peak_threads() const { return peak_threads_; }
  /// The most resident memory gained since the sampler was made, in bytes.
  long rss_gain_bytes() const;

private:
  long rss_before_kb_;
  std::atomic<long> peak_threads_{0};
  std::atomic<long> peak_rss_kb_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace xcs::bench
