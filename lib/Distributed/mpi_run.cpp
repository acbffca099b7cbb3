//===- Distributed/mpi_run.cpp - xcs-run across MPI ranks -----------------===//

#include "Distributed/mpi_run.h"

#include "Distributed/coordinator.h"
#include "Distributed/job.h"
#include "Distributed/worker.h"
#include "Driver/command_line.h"
#include "Driver/run_pipeline.h"
#include "Net/budget_broker.h"

#include <cstdlib>
#include <map>
#include <ostream>
#include <sstream>

namespace xcs::distributed {
namespace {

/// What every rank makes before the run starts. A failure is the text the
/// one-process tool would print for it.
struct Startup {
  XcsRunOptions options;
  OperatorPtr op;
  std::unique_ptr<JobFiles> files;
  std::string failure;
};

Startup start(int rank, int argc, char **argv) {
  Startup startup;
  std::ostringstream failure;
  run_tool_main(run_tool_name, failure, [&] {
    std::vector<std::string_view> args(argv + std::min(argc, 1), argv + argc);
    startup.options = parse_run_arguments(args);
    if (startup.options.help || startup.options.version)
      return 0;
    startup.op = make_run_pipeline(startup.options);
    if (rank == 0)
      startup.files = open_job_files(startup.options);
    return 0;
  });
  startup.failure = failure.str();
  return startup;
}

/// Prints the ranks' startup failures on \p err, one message per distinct
/// failure: as one process prints it when every rank failed alike, else
/// naming the ranks. Whether any rank failed.
bool report_failures(const std::vector<std::string> &failures,
                     std::ostream &err) {
  std::map<std::string, std::vector<int>> ranks_by_failure;
  for (std::size_t rank = 0; rank < failures.size(); ++rank)
    if (!failures[rank].empty())
      ranks_by_failure[failures[rank]].push_back(static_cast<int>(rank));
  for (const auto &[failure, ranks] : ranks_by_failure) {
    if (ranks.size() == failures.size()) {
      err << failure;
      continue;
    }
    std::string which = ranks.size() == 1 ? "rank " : "ranks ";
    for (std::size_t i = 0; i < ranks.size(); ++i)
      which += (i ? ", " : "") + std::to_string(ranks[i]);
    std::string prefix = std::string(run_tool_name) + ": error: ";
    if (failure.starts_with(prefix))
      err << prefix << "on " << which << ": " << failure.substr(prefix.size());
    else
      err << prefix << "on " << which << ":\n" << failure;
  }
  err.flush();
  return !ranks_by_failure.empty();
}

/// $XCS_TIMELINE, taken out of the environment: every rank sees the
/// variable, and a jit operator or runner reading it on each would write
/// the one file from every rank. Only rank 0 writes the job's timeline.
std::string take_env_timeline() {
  const char *configured = std::getenv("XCS_TIMELINE");
  std::string timeline = configured ? configured : "";
  ::unsetenv("XCS_TIMELINE");
  return timeline;
}

} // namespace

bool launched_by_mpi() {
  for (const char *variable : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"})
    if (std::getenv(variable))
      return true;
  return false;
}

int run_xcs_run_mpi(int argc, char **argv, std::ostream &out, std::ostream &err,
                    bool err_is_terminal) {
  std::unique_ptr<MpiComm> comm;
  try {
    comm = std::make_unique<MpiComm>(argc, argv);
  } catch (const std::exception &error) {
    err << run_tool_name << ": error: " << error.what() << std::endl;
    return 1;
  }
  try {
    std::string env_timeline = take_env_timeline();
    Startup startup = start(comm->rank(), argc, argv);
    std::vector<std::string> failures = comm->gather(startup.failure);
    int failed = comm->rank() == 0 ? report_failures(failures, err) : 0;
    if (comm->broadcast(failed))
      return 1;
    if (startup.options.help || startup.options.version) {
      if (comm->rank() == 0) {
        if (startup.options.help)
          print_run_help(out);
        else
          print_tool_version(out, run_tool_name);
      }
      return 0;
    }
    // Before any model call: the job's budgets are rank 0's.
    auto doorbell = std::make_shared<Doorbell>();
    Job job{*comm, std::move(startup.options), std::move(startup.op),
            doorbell, std::make_shared<RankBroker>(doorbell), ""};
    // --timeline, else $XCS_TIMELINE.
    job.timeline = job.options.timeline_file.value_or(env_timeline);
    net::install_budget_broker(job.broker);
    if (comm->rank() == 0)
      return run_coordinator(job, *startup.files, out, err, err_is_terminal);
    run_worker(job);
    return 0;
  } catch (const std::exception &error) {
    err << run_tool_name << ": error: on rank " << comm->rank() << ": "
        << error.what() << std::endl;
    comm->abort(1);
  }
}

} // namespace xcs::distributed
