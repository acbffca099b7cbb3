//===- Distributed/worker.h - A rank other than 0 ---------------*- C++ -*-===//
///
/// \file
/// A worker asks rank 0 for chunks of data lines as its runner's room
/// frees up, runs them with the batch runner, and sends their result lines
/// back in batches; its model calls take their permits from rank 0. Once
/// rank 0 has no more items and the runner is done, it sends its report
/// (usage, node times, timeline) and ends.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Distributed/job.h"

namespace xcs::distributed {

/// Runs this rank's part of \p job; returns once rank 0 has everything it
/// sends. Error on a failure that stops the rank.
void run_worker(Job &job);

} // namespace xcs::distributed
