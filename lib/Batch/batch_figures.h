//===- Batch/batch_figures.h - Figures derived from a run's counts -*- C++ -*-===//
///
/// \file
/// The figures of a BatchProgress and a BatchSummary that follow from the
/// counts (items per second, ETA, throughput, latency percentiles), derived
/// one way for a run in one process (BatchRunner) and for a job across MPI
/// ranks (lib/Distributed), whose progress lines and summaries read alike.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Batch/latency_histogram.h"
#include "xcs/batch.h"

namespace xcs::batch {

/// Sets \p progress's items_per_second and, when its total is known, eta,
/// from its done, total and elapsed.
void derive_rates(BatchProgress &progress);

/// Sets \p summary's throughput (its progress's items per second) and its
/// latency percentiles (p50, p95, p99) from \p latencies.
void derive_summary_figures(BatchSummary &summary,
                            const LatencyHistogram &latencies);

} // namespace xcs::batch
