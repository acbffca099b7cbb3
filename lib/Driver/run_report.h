//===- Driver/run_report.h - xcs-run's progress and summary -----*- C++ -*-===//
#pragma once

#include "xcs/batch.h"

#include <iosfwd>
#include <string>

namespace xcs {

/// One line of progress: "done D/T (F failed), R items/s, ETA E, in flight
/// I, retries N, tokens P+C".
std::string progress_text(const BatchProgress &progress);

/// The summary after a run: counts, wall time, throughput, item latency
/// percentiles, retries, tokens per endpoint and, with a timeline, per-node
/// times. \p skipped items were done before a resumed run; \p written is
/// the results file.
void print_summary(std::ostream &out, const BatchSummary &summary,
                   std::uint64_t skipped, const std::string &written);

} // namespace xcs
