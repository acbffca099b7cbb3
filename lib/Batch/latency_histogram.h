//===- Batch/latency_histogram.h - Percentiles in fixed memory --*- C++ -*-===//
///
/// \file
/// Item latencies of a batch run, kept in logarithmic buckets 2 % wide from
/// 1 us to about an hour, so that percentiles of a run of any length take
/// the same few kilobytes (a run streams its items; it must not keep one
/// number per item either).
///
//===----------------------------------------------------------------------===//
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

namespace xcs::batch {

class LatencyHistogram {
public:
  LatencyHistogram();
  void add(std::chrono::nanoseconds latency);
  /// The latency below which a fraction \p q (in [0, 1]) of those added
  /// fall, as the upper bound of its bucket; 0 when none was added.
  std::chrono::nanoseconds quantile(double q) const;

private:
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
};

} // namespace xcs::batch
