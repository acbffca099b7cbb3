//===- Driver/jit_dump.h - The xcs-jit-dump driver --------------*- C++ -*-===//
///
/// \file
/// The library side of the xcs-jit-dump tool. The tool's main() only forwards
/// to run_jit_dump(), so tests drive the whole tool in-process with string
/// streams.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <iosfwd>

namespace xcs {

/// Runs xcs-jit-dump on the command line \p argc / \p argv (argv[0] is the
/// program name). Results go to \p out, or to the file of -o FILE; a failure is
/// reported as one line "xcs-jit-dump: error: ..." on \p err, as is a failure
/// to write the output (checked by flushing it at the end). Returns the process
/// exit status: 0 on success, 1 on any error. Never throws.
int run_jit_dump(int argc, char **argv, std::ostream &out, std::ostream &err);

} // namespace xcs
