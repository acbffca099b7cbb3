//===- xcs-run/main.cpp - Run a pipeline over a dataset -------------------===//
///
/// \file
/// The tool is the library driver; see lib/Driver/xcs_run.h. Started by
/// mpirun, each process is one rank of a job (lib/Distributed/mpi_run.h).
///
//===----------------------------------------------------------------------===//

#include "Driver/xcs_run.h"
#ifdef XCS_HAVE_MPI
#include "Distributed/mpi_run.h"
#endif

#include <cstdlib>
#include <iostream>
#include <unistd.h>

int main(int argc, char **argv) {
  bool terminal = ::isatty(STDERR_FILENO) != 0;
#ifdef XCS_HAVE_MPI
  int status =
      xcs::distributed::launched_by_mpi()
          ? xcs::distributed::run_xcs_run_mpi(argc, argv, std::cout, std::cerr,
                                              terminal)
          : xcs::run_xcs_run(argc, argv, std::cout, std::cerr, terminal);
#else
  int status = xcs::run_xcs_run(argc, argv, std::cout, std::cerr, terminal);
#endif
  // After a second Ctrl-C, calls that hold a thread may still run: the
  // process ends without destroying the statics they use. Results went
  // to their file with write(2) as items ended; only the streams need it.
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(status);
}
