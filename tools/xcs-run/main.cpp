//===- xcs-run/main.cpp - Run a pipeline over a dataset -------------------===//
///
/// \file
/// The tool is the library driver; see lib/Driver/xcs_run.h.
///
//===----------------------------------------------------------------------===//

#include "Driver/xcs_run.h"

#include <cstdlib>
#include <iostream>
#include <unistd.h>

int main(int argc, char **argv) {
  int status = xcs::run_xcs_run(argc, argv, std::cout, std::cerr,
                                ::isatty(STDERR_FILENO) != 0);
  // After a second Ctrl-C, calls that hold a thread may still run: the
  // process ends without destroying the statics they use. Results went
  // to their file with write(2) as items ended; only the streams need it.
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(status);
}
