//===- xcs-run/main.cpp - Run a pipeline over a dataset -------------------===//
///
/// \file
/// The tool is the library driver; see lib/Driver/xcs_run.h.
///
//===----------------------------------------------------------------------===//

#include "Driver/xcs_run.h"

#include <iostream>
#include <unistd.h>

int main(int argc, char **argv) {
  return xcs::run_xcs_run(argc, argv, std::cout, std::cerr,
                          ::isatty(STDERR_FILENO) != 0);
}
