//===- Driver/dump_plan.h - What xcs-jit-dump prints and runs ---*- C++ -*-===//
///
/// \file
/// The tool has two sources of a plan: a built-in example, whose graph is
/// discovered by a strategy exactly as xcs::jit discovers it, and a
/// routing-IR file, which starts at the IR. Both end in the same DumpPlan,
/// so printing and running do not care where it came from.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "JIT/plan_builder.h"
#include "xcs/ops.h"
#include "xcs/registry.h"

#include <chrono>
#include <string>

namespace xcs {

struct DumpPlan {
  /// For an IR file: `lowered` is the module as read and `operators` its
  /// bound table; the discovery members (strategy, trace, graph) are unset.
  BuiltPlan plan;
  /// An example's operator, whose specification a run's result must meet
  /// (the plan computes its forward, as in xcs::jit); null for an IR file.
  OperatorPtr root;

  /// Whether `plan` holds a discovery: examples only.
  bool discovered() const { return root != nullptr; }
};

/// The plan of \p example for \p input, built as xcs::jit builds it. The
/// trace strategy runs the example once for real.
DumpPlan plan_example(const ops::Example &example, const Record &input,
                      Strategy strategy, OptLevel level, bool compile);

/// The plan of the routing-IR file \p path ("-" for the standard input,
/// named <stdin>): parsed, verified, its operators bound with \p registry,
/// then the passes and, with \p compile, machine code. InputError starting
/// with \p path (or <stdin>) for text that does not parse or verify and for
/// operators that do not bind.
DumpPlan plan_ir_file(const std::string &path, const OperatorRegistry &registry,
                      OptLevel level, bool compile);

/// What one run of a plan returned and how long it took.
struct Execution {
  Record output;
  std::chrono::nanoseconds time{0};
};

/// Runs \p dump on \p input: its compiled code (\p dump must have been
/// built with compile), or with \p interpret the reference interpreter
/// over its scheduled IR; then validates the result against the root's
/// specification, if there is a root. Whatever the run throws propagates.
Execution run_plan(const DumpPlan &dump, const Record &input, bool interpret);

} // namespace xcs
