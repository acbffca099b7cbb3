//===- Driver/progress_printer.h - xcs-run's progress lines -----*- C++ -*-===//
#pragma once

#include "xcs/batch.h"

#include <chrono>
#include <iosfwd>

namespace xcs {

/// Progress on \p err: a line redrawn in place on a terminal, else a plain
/// line now and then (a log file should not fill with them).
class ProgressPrinter {
public:
  ProgressPrinter(std::ostream &err, bool terminal)
      : err_(err), terminal_(terminal) {}

  /// How often show() is worth calling.
  std::chrono::milliseconds interval() const;
  /// Shows \p progress; the first time \p interrupted, says that the items
  /// in flight are let end.
  void show(const BatchProgress &progress, bool interrupted);
  /// Ends the live line, if one is drawn.
  void end_line();

private:
  std::ostream &err_;
  bool terminal_;
  bool drawn_ = false;
  bool told_ = false;
};

} // namespace xcs
