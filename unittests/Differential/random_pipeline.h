//===- random_pipeline.h - Random composites for differential tests -*- C++ -*-===//
///
/// \file
/// Builds random composite operators whose glue is pure routing: a random
/// DAG of arithmetic leaves, list and record builders and readers, and
/// nested sub-composites, wired to graph inputs, earlier outputs, paths
/// into them and constants. The same seed gives the same pipeline.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

#include <cstdint>
#include <vector>

namespace xcs::testing_util {

struct RandomPipeline {
  OperatorPtr op;
  /// Inputs to run it on; the first is the one to trace with.
  std::vector<Record> inputs;
};

/// A pipeline of up to \p max_steps steps drawn from \p seed.
RandomPipeline random_pipeline(std::uint64_t seed, int max_steps = 12);

} // namespace xcs::testing_util
