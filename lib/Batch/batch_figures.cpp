//===- batch_figures.cpp - Figures derived from a run's counts ------------===//

#include "Batch/batch_figures.h"

namespace xcs::batch {

void derive_rates(BatchProgress &progress) {
  double seconds = std::chrono::duration<double>(progress.elapsed).count();
  if (seconds > 0)
    progress.items_per_second = static_cast<double>(progress.done) / seconds;
  if (!progress.total || progress.done == 0 || progress.items_per_second <= 0)
    return;
  std::uint64_t total = *progress.total;
  std::uint64_t left = total > progress.done ? total - progress.done : 0;
  progress.eta = std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(static_cast<double>(left) /
                                    progress.items_per_second));
}

void derive_summary_figures(BatchSummary &summary,
                            const LatencyHistogram &latencies) {
  summary.throughput = summary.progress.items_per_second;
  summary.latency_p50 = latencies.quantile(0.50);
  summary.latency_p95 = latencies.quantile(0.95);
  summary.latency_p99 = latencies.quantile(0.99);
}

} // namespace xcs::batch
