//===- Driver/xcs_run.cpp - The xcs-run driver ----------------------------===//

#include "Driver/xcs_run.h"

#include "Driver/command_line.h"
#include "Driver/jsonl_source.h"
#include "Driver/progress_printer.h"
#include "Driver/results_file.h"
#include "Driver/run_options.h"
#include "Driver/run_pipeline.h"
#include "Driver/run_report.h"
#include "xcs/batch.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <ostream>

namespace xcs {
namespace {

/// The runner a Ctrl-C goes to, and how many came. A signal handler may
/// only touch lock-free atomics; BatchRunner::stop and cancel are such.
std::atomic<BatchRunner *> interrupted_runner{nullptr};
std::atomic<int> interrupts{0};

extern "C" void on_interrupt(int) {
  int count = interrupts.fetch_add(1) + 1;
  if (BatchRunner *runner = interrupted_runner.load()) {
    if (count == 1)
      runner->stop();
    else
      runner->cancel();
  }
}

/// Sends SIGINT to \p runner while it lives, then restores the handler
/// before it.
class InterruptScope {
public:
  explicit InterruptScope(BatchRunner &runner) {
    interrupts.store(0);
    interrupted_runner.store(&runner);
    struct sigaction action {};
    action.sa_handler = on_interrupt;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGINT, &action, &previous_);
  }
  ~InterruptScope() {
    ::sigaction(SIGINT, &previous_, nullptr);
    interrupted_runner.store(nullptr);
  }
  InterruptScope(const InterruptScope &) = delete;
  InterruptScope &operator=(const InterruptScope &) = delete;

private:
  struct sigaction previous_ {};
};

int run(const XcsRunOptions &options, std::ostream &out, std::ostream &err,
        bool err_is_terminal) {
  if (options.help) {
    print_run_help(out);
    return 0;
  }
  if (options.version) {
    print_tool_version(out, run_tool_name);
    return 0;
  }
  OperatorPtr op = make_run_pipeline(options);
  bool repaired = false;
  DoneSet done = options.resume ? read_results(*options.out_file, repaired)
                                : DoneSet();
  if (repaired && !options.quiet)
    err << run_tool_name << ": repaired the torn last line of '"
        << *options.out_file << "' (its item runs again)\n";
  JsonlSource source(*options.data_file, done);
  ResultsFile results(*options.out_file, options.resume);

  ProgressPrinter printer(err, err_is_terminal);
  BatchOptions batch = run_batch_options(options);
  batch.progress_interval = printer.interval();
  if (!options.quiet)
    batch.on_progress = [&](const BatchProgress &p) {
      printer.show(p, interrupts.load() > 0);
    };
  BatchRunner runner(op, batch);
  BatchSummary summary;
  {
    InterruptScope scope(runner);
    // Said once Ctrl-C is handled, so that a script may interrupt after it.
    if (!options.quiet)
      err << run_tool_name << ": running " << source.total().value_or(0)
          << " items of " << source.lines() << ", at most "
          << options.max_in_flight << " in flight" << std::endl;
    summary = runner.run(source, [&](BatchOutcome outcome) {
      // After a second Ctrl-C a failure may be the cancellation itself:
      // it is not the item's outcome, so the item is left to a resume.
      if (outcome.error && interrupts.load() >= 2)
        return;
      results.write(outcome.index, outcome.output, outcome.error);
    });
  }
  printer.end_line();
  print_summary(out, summary, done.size(), *options.out_file);
  return summary.stopped || interrupts.load() > 0 ? 130 : 0;
}

} // namespace

int run_xcs_run(int argc, char **argv, std::ostream &out, std::ostream &err,
                bool err_is_terminal) {
  return run_tool_main(run_tool_name, err, [&] {
    std::vector<std::string_view> args(argv + std::min(argc, 1), argv + argc);
    return run(parse_run_arguments(args), out, err, err_is_terminal);
  });
}

} // namespace xcs
