//===- Distributed/coordinator.h - Rank 0 of a run --------------*- C++ -*-===//
///
/// \file
/// Rank 0 reads the data file (skipping what a resumed results file holds),
/// hands chunks of lines to the workers as they ask, runs items itself
/// unless --no-local-items, writes every rank's result lines to the one
/// results file, holds the job's endpoint budgets, and prints the job's
/// progress, summary and timeline.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Distributed/job.h"
#include "Driver/jsonl_source.h"
#include "Driver/results_file.h"

#include <iosfwd>
#include <memory>

namespace xcs::distributed {

/// The files rank 0 opens before any item starts, so that a missing data
/// file fails the run before it begins.
struct JobFiles {
  DoneSet done;
  bool repaired = false;
  std::unique_ptr<JsonlSource> source;
  std::unique_ptr<ResultsFile> results;
};

/// Opens the files of \p options (repairing a torn last line on --resume).
std::unique_ptr<JobFiles> open_job_files(const XcsRunOptions &options);

/// Runs the job from rank 0; the summary goes to \p out, progress to
/// \p err. Returns the exit status.
int run_coordinator(Job &job, JobFiles &files, std::ostream &out,
                    std::ostream &err, bool err_is_terminal);

} // namespace xcs::distributed
