//===- jit_stress.cpp - Resident memory over many jit operator lifetimes --===//
//
// Usage: xcs-stress-jit [--cycles=N] [--variant=fresh|shared], N > 1,000
//
// Each cycle creates a new composite (a sequence of affine steps whose
// constants change every cycle), wraps it in xcs::jit, calls it twice (a
// miss that builds the plan, then a hit), checks both results against the
// eager call, and destroys it. Every 10,000 cycles it prints the cycle, the
// resident set size and the elapsed time.
//
//  fresh   sequences of 1 to 4 steps in turn, and nothing else alive: every
//          cycle compiles a module and releases it.
//  shared  sequences of 2 steps while a structurally identical jit operator
//          stays alive: every cycle reuses its module without compiling.
//
// Fails (exit status 1) when the resident set grew by more than 10 MB
// between cycle 1,000 and the end, when a result differs from the eager one,
// or when compiled modules or cached plans outlive their operators.
//
//===----------------------------------------------------------------------===//

#include "JIT/compiled_module.h"
#include "JIT/jit_cache.h"
#include "stress_support.h"
#include "xcs/jit.h"
#include "xcs/ops.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace xcs;
using bench::flag;
using bench::resident_mb;
using bench::seconds_since;

enum class Variant { Fresh, Shared };

struct Options {
  long cycles = 100'000;
  Variant variant = Variant::Fresh;
};

constexpr long report_every = 10'000;
constexpr long baseline_cycle = 1'000;
constexpr double allowed_growth_mb = 10.0;

[[noreturn]] void usage(std::string_view bad) {
  std::fprintf(stderr,
               "xcs-stress-jit: bad argument '%.*s'\n"
               "usage: xcs-stress-jit [--cycles=N] [--variant=fresh|shared]\n",
               static_cast<int>(bad.size()), bad.data());
  std::exit(2);
}

Options parse(int argc, char **argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (auto cycles = flag(argument, "--cycles")) {
      options.cycles = std::atol(std::string(*cycles).c_str());
      if (options.cycles <= baseline_cycle)
        usage(argument);
    } else if (auto variant = flag(argument, "--variant")) {
      if (*variant != "fresh" && *variant != "shared")
        usage(argument);
      options.variant = *variant == "fresh" ? Variant::Fresh : Variant::Shared;
    } else {
      usage(argument);
    }
  }
  return options;
}

/// The composite of cycle \p cycle: x -> ((x * 1 + c) * 1 + c) ... with
/// c = cycle % 1000, of \p steps steps.
OperatorPtr pipeline(long cycle, int steps) {
  std::vector<OperatorPtr> chain;
  for (int i = 0; i < steps; ++i)
    chain.push_back(ops::affine(1, cycle % 1000, "x", "x"));
  return ops::sequence("Stress", std::move(chain));
}

int steps_of(long cycle, Variant variant) {
  return variant == Variant::Fresh ? 1 + static_cast<int>(cycle % 4) : 2;
}

/// One cycle: create, jit, call twice, check, destroy. False when a result
/// differs from the eager call's.
bool run_cycle(long cycle, Variant variant) {
  OperatorPtr eager = pipeline(cycle, steps_of(cycle, variant));
  OperatorPtr jitted = jit(eager);
  Record input{{"x", static_cast<std::int64_t>(cycle)}};
  Record expected = (*eager)(input);
  return (*jitted)(input) == expected && (*jitted)(input) == expected;
}

/// Runs the cycles; the resident set after the baseline cycle and at the
/// end, or nullopt after a wrong result.
std::optional<std::pair<double, double>> run_cycles(const Options &options) {
  auto start = std::chrono::steady_clock::now();
  double baseline = 0;
  for (long cycle = 1; cycle <= options.cycles; ++cycle) {
    if (!run_cycle(cycle, options.variant)) {
      std::fprintf(stderr, "cycle %ld: the jit result differs from eager\n",
                   cycle);
      return std::nullopt;
    }
    if (cycle == baseline_cycle)
      baseline = resident_mb();
    if (cycle % report_every != 0)
      continue;
    std::printf("cycle %7ld  rss %7.1f MB  elapsed %7.1f s\n", cycle,
                resident_mb(), seconds_since(start));
    std::fflush(stdout);
  }
  return std::pair{baseline, resident_mb()};
}

int stress(const Options &options) {
  std::optional<OperatorPtr> twin;
  if (options.variant == Variant::Shared) {
    twin = jit(pipeline(0, 2));
    (**twin)(Record{{"x", 0}});
  }
  std::printf("variant %s, %ld cycles, rss at start %.1f MB\n",
              options.variant == Variant::Fresh ? "fresh" : "shared",
              options.cycles, resident_mb());
  auto rss = run_cycles(options);
  if (!rss)
    return 1;
  auto [baseline, end] = *rss;
  twin.reset();
  double growth = end - baseline;
  std::printf("rss after %ld cycles %.1f MB, at the end %.1f MB, growth "
              "%+.1f MB (limit %.0f MB)\n",
              baseline_cycle, baseline, end, growth, allowed_growth_mb);
  std::printf("live compiled modules %zu, cached plans %zu\n",
              live_compiled_modules(), JITCache::global().size());
  bool released =
      live_compiled_modules() == 0 && JITCache::global().size() == 0;
  return growth <= allowed_growth_mb && released ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) { return stress(parse(argc, argv)); }
