//===- Distributed/timeline_merge.h - One timeline for a job ----*- C++ -*-===//
///
/// \file
/// Each rank records its own timeline (JIT/timeline.h, every event on
/// process 1); rank 0 merges them into the one --timeline file, each
/// rank's events on the process track of its rank, named "rank N". Each
/// rank's times count from when its runner started, which every rank does
/// right after the same collective call: close enough to read the job, not
/// a global clock.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Distributed/messages.h"

#include <string>
#include <vector>

namespace xcs::distributed {

/// Rewrites the timeline \p path (rank 0's, when \p has_own, else none
/// yet) with the timelines of \p reports (by rank; "" for none) added.
/// InputError naming the file when it cannot be read or written.
void merge_timelines(const std::string &path, bool has_own,
                     const std::vector<WorkerReport> &reports);

} // namespace xcs::distributed
