//===- jit_load_scenario.h - Threads over many jit operators ----*- C++ -*-===//
///
/// \file
/// The load scenario of the JIT: threads call, replace and retune the jit
/// operators of a pool of slots at random, with plan bounds so low that
/// plans are evicted all the time while other threads run them. Every
/// result is checked against the eager result of the same composite (for a
/// stateful composite, against the states it had during the call).
///
/// The slots hold chains of affine steps, a composite whose optional input
/// field changes the graph, the built-in examples, and a composite whose
/// state (and so its state signature) threads change while others call it.
/// Inputs switch between ints and doubles, so input shapes change too.
///
/// xcs-stress-load runs it for a minute and watches memory; a unit test of
/// the JIT runs it for a few seconds, so the sanitizer builds run it too.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

namespace xcs::bench {

struct LoadOptions {
  unsigned threads = 8;
  std::chrono::milliseconds duration{60'000};
  /// A thread stops after the duration only once it made this many calls,
  /// so that a short run on a slow (sanitized) build still does the work.
  std::uint64_t min_calls_per_thread = 0;
  std::size_t slots = 100;
  /// The JitOptions bounds of every jit operator.
  std::size_t max_plans = 16;
  std::size_t max_plans_per_operator = 2;
  std::uint64_t seed = 1;
  std::chrono::milliseconds report_every{5'000};
};

/// What the threads did.
struct LoadFigures {
  std::uint64_t calls = 0;
  /// Calls whose result was not the eager one.
  std::uint64_t mismatches = 0;
  /// Calls that threw.
  std::uint64_t errors = 0;
  /// Slots whose operator was replaced (the old one destroyed once the
  /// last thread calling it returned).
  std::uint64_t replacements = 0;
  std::uint64_t state_changes = 0;
};

/// Called every LoadOptions::report_every, and once when the threads have
/// stopped (while the slots still hold their operators), with the figures
/// so far and the seconds since the start.
using LoadProgress = std::function<void(const LoadFigures &, double seconds)>;

/// Runs the scenario on the calling thread plus LoadOptions::threads
/// threads. Returns once every thread has stopped and every slot's
/// operator is destroyed. Wrong results and exceptions are counted, and
/// the first few are described on stderr.
LoadFigures run_load(const LoadOptions &options,
                     const LoadProgress &progress = {});

} // namespace xcs::bench
