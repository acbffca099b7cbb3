//===- latency_histogram.cpp - Percentiles in fixed memory ----------------===//

#include "Batch/latency_histogram.h"

#include <algorithm>
#include <cmath>

namespace xcs::batch {
namespace {

constexpr double growth = 1.02;
constexpr double first_bound_ns = 1000;
/// 1 us * 1.02^1200 is about 6 hours.
constexpr std::size_t bucket_count = 1200;

std::size_t bucket_of(std::chrono::nanoseconds latency) {
  double ns = static_cast<double>(latency.count());
  if (ns <= first_bound_ns)
    return 0;
  auto bucket = static_cast<std::size_t>(
      std::ceil(std::log(ns / first_bound_ns) / std::log(growth)));
  return std::min(bucket, bucket_count - 1);
}

std::chrono::nanoseconds upper_bound(std::size_t bucket) {
  return std::chrono::nanoseconds(static_cast<std::int64_t>(
      first_bound_ns * std::pow(growth, static_cast<double>(bucket))));
}

} // namespace

LatencyHistogram::LatencyHistogram() : buckets_(bucket_count) {}

void LatencyHistogram::add(std::chrono::nanoseconds latency) {
  ++buckets_[bucket_of(latency)];
  ++count_;
}

std::chrono::nanoseconds LatencyHistogram::quantile(double q) const {
  if (count_ == 0)
    return std::chrono::nanoseconds(0);
  auto rank = static_cast<std::uint64_t>(
      std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t bucket = 0; bucket < buckets_.size(); ++bucket) {
    seen += buckets_[bucket];
    if (seen >= rank)
      return upper_bound(bucket);
  }
  return upper_bound(buckets_.size() - 1);
}

} // namespace xcs::batch
