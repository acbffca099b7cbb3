//===- Driver/sections.h - What xcs-jit-dump prints -------------*- C++ -*-===//
///
/// \file
/// Everything the tool prints for a plan is a section: a header line
/// "; == NAME ==" and its text. The header is a comment in the routing IR
/// and in LLVM IR, so a stage cut out of the output reads back, and tests
/// and readers can find each section.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Driver/dump_plan.h"
#include "JIT/plan_stages.h"

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

namespace xcs {

/// Writes the sections of one output, each as print_section() does. An
/// output of one section is its text alone, as an LLVM tool prints what it
/// was asked for: `--print=dot` pipes into `dot -Tsvg`, `--print=ir` reads
/// back.
class SectionWriter {
public:
  /// \p count is how many sections the output will hold.
  SectionWriter(std::ostream &out, std::size_t count)
      : out_(out), bare_(count == 1) {}
  /// Writes the section \p name holding \p text.
  void write(std::string_view name, std::string_view text);

private:
  std::ostream &out_;
  bool bare_;
};

/// The text of \p stage of \p dump, whose machine code is for \p level.
/// The trace and graph stages start with the strategy that discovered the
/// graph and why. InputError for a discovery stage of a plan without one.
std::string stage_text(PlanStage stage, const DumpPlan &dump, OptLevel level);

/// The figures of JitPerformanceMetrics for the tool's one call through
/// \p dump: trace, compile and (when it ran) \p execution time, and the
/// strategy.
std::string metrics_text(const DumpPlan &dump,
                         std::optional<std::chrono::nanoseconds> execution);

} // namespace xcs
