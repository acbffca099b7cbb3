//===- Driver/xcs_run.h - The xcs-run driver --------------------*- C++ -*-===//
///
/// \file
/// The library side of the xcs-run tool (docs/batch.md): a pipeline run
/// over every item of a JSONL file with xcs::BatchRunner, results written
/// as items end, resumable, with progress, a summary and a timeline. The
/// tool's main() only forwards to run_xcs_run(), so tests drive the whole
/// tool in-process.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <iosfwd>

namespace xcs {

/// Runs xcs-run on the command line \p argc / \p argv (argv[0] is the
/// program name). The summary goes to \p out; progress to \p err, as a
/// live line when \p err_is_terminal, else as a plain line every few
/// seconds; a failure is one line "xcs-run: error: ..." on \p err. While
/// it runs, SIGINT stops starting items (a second one cancels those in
/// flight). Returns the exit status: 0 when every item ran (some may have
/// failed: their errors are in the results), 130 when interrupted, 1 on
/// an error that stopped the run. Never throws.
int run_xcs_run(int argc, char **argv, std::ostream &out, std::ostream &err,
                bool err_is_terminal);

} // namespace xcs
