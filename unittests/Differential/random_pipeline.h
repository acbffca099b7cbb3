//===- random_pipeline.h - Random composites for differential tests -*- C++ -*-===//
///
/// \file
/// Builds random composite operators whose glue is pure routing: a random
/// DAG of arithmetic leaves, list and record builders and readers, and
/// nested sub-composites, wired to graph inputs, earlier outputs, paths
/// into them and constants. The same seed gives the same pipeline.
///
/// With faults, every leaf fails on some of its inputs: it throws, leaves a
/// declared output out, or gives one the wrong kind. Which inputs fail is a
/// function of the leaf and the input, so that every way of running the
/// pipeline meets the same faults.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace xcs::testing_util {

struct RandomPipeline {
  OperatorPtr op;
  /// Inputs to run it on; the first is the one to trace with.
  std::vector<Record> inputs;
  /// Whether the leaves inject their faults; on unless switched off, e.g.
  /// for a clean trace. Has no effect on a pipeline made without faults.
  std::shared_ptr<std::atomic<bool>> faults_on =
      std::make_shared<std::atomic<bool>>(true);
};

/// A pipeline of up to \p max_steps steps drawn from \p seed.
RandomPipeline random_pipeline(std::uint64_t seed, int max_steps = 12,
                               bool with_faults = false);

} // namespace xcs::testing_util
