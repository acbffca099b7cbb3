//===- Driver/progress_printer.cpp - xcs-run's progress lines -------------===//

#include "Driver/progress_printer.h"

#include "Driver/run_options.h"
#include "Driver/run_report.h"

#include <ostream>

namespace xcs {

std::chrono::milliseconds ProgressPrinter::interval() const {
  return terminal_ ? std::chrono::milliseconds(200)
                   : std::chrono::milliseconds(5000);
}

void ProgressPrinter::show(const BatchProgress &progress, bool interrupted) {
  if (interrupted && !told_) {
    told_ = true;
    end_line();
    err_ << run_tool_name << ": interrupted: letting " << progress.in_flight
         << " items in flight end (Ctrl-C again cancels them)\n";
  }
  if (terminal_) {
    err_ << "\r\033[K" << progress_text(progress) << std::flush;
    drawn_ = true;
  } else {
    err_ << run_tool_name << ": " << progress_text(progress) << '\n';
  }
}

void ProgressPrinter::end_line() {
  if (drawn_)
    err_ << '\n';
  drawn_ = false;
}

} // namespace xcs
