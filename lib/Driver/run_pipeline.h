//===- Driver/run_pipeline.h - What xcs-run runs, and how wide -*- C++ -*-===//
///
/// \file
/// The pieces of an xcs-run that every process of a run makes alike from
/// the command line: the operator each item runs through, and the batch
/// runner's options. lib/Distributed builds on them for runs across MPI
/// ranks.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Driver/run_options.h"
#include "xcs/batch.h"
#include "xcs/operator.h"

namespace xcs {

/// The operator each item runs through: the example, or the pipeline file
/// with its operators bound (built-ins and --load plugins) and compiled.
/// InputError naming FILE:LINE:COL and the operator for a file that does
/// not parse, verify or bind.
OperatorPtr make_run_pipeline(const XcsRunOptions &options);

/// The batch runner's options for \p options (no progress callback).
BatchOptions run_batch_options(const XcsRunOptions &options);

} // namespace xcs
