//===- Distributed/mpi_run.h - xcs-run across MPI ranks ---------*- C++ -*-===//
///
/// \file
/// `mpirun -np N xcs-run PIPELINE.xcs --data items.jsonl --out results.jsonl`
/// runs one job across N ranks (docs/distributed.md): rank 0 hands out
/// the items in chunks as ranks ask, every rank runs its items with the
/// batch runner, and rank 0 writes the one results file in the format and
/// with the resume rule of a one-process run, prints the job's progress
/// and summary, holds the endpoint budgets for the whole job and merges
/// the timeline. Every rank binds the pipeline before any item starts; a
/// failure on any rank fails the job with one message naming the rank.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <iosfwd>

namespace xcs::distributed {

/// Whether this process was started by mpirun (or another MPI launcher)
/// and so is one rank of a job.
bool launched_by_mpi();

/// Runs this process's rank of xcs-run on \p argc / \p argv, as
/// xcs::run_xcs_run does in one process; only rank 0 writes to \p out and
/// \p err. A rank that fails during the run aborts the job (MPI_Abort)
/// after saying why on \p err. Returns the exit status.
int run_xcs_run_mpi(int argc, char **argv, std::ostream &out, std::ostream &err,
                    bool err_is_terminal);

} // namespace xcs::distributed
