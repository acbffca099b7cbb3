//===- jit_load_stress.cpp - Threads calling jit operators under eviction -===//
//
// Usage: xcs-stress-load [--seconds=N] [--threads=N], N >= 10 seconds
//
// Runs the load scenario (jit_load_scenario.h): 8 threads for 60 seconds
// over 100 slots of jit operators, creating, calling, destroying and
// retuning them, with at most 16 plans in the process and 2 per operator,
// so plans are evicted while other threads run them. Every 5 seconds it
// prints the calls so far, the wrong results, the resident set size, the
// cached plans and the compiled modules; at the end the totals and what the
// JIT counted.
//
// Fails (exit status 1) when a result differs from the eager one or a call
// throws, when the resident set grew by more than 10 MB between the 5 s mark
// and the end, or when plans or compiled modules outlive the operators.
//
//===----------------------------------------------------------------------===//

#include "JIT/compiled_module.h"
#include "JIT/jit_cache.h"
#include "jit_load_scenario.h"
#include "stress_support.h"
#include "xcs/log.h"
#include "xcs/metrics.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace xcs;

constexpr double allowed_growth_mb = 10.0;
constexpr long min_seconds = 10;

[[noreturn]] void usage(std::string_view bad) {
  std::fprintf(stderr,
               "xcs-stress-load: bad argument '%.*s'\n"
               "usage: xcs-stress-load [--seconds=N] [--threads=N], "
               "N >= %ld seconds\n",
               static_cast<int>(bad.size()), bad.data(), min_seconds);
  std::exit(2);
}

bench::LoadOptions parse(int argc, char **argv) {
  bench::LoadOptions options;
  for (int i = 1; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (auto seconds = bench::flag(argument, "--seconds")) {
      long value = std::atol(std::string(*seconds).c_str());
      if (value < min_seconds)
        usage(argument);
      options.duration = std::chrono::seconds(value);
    } else if (auto threads = bench::flag(argument, "--threads")) {
      int value = std::atoi(std::string(*threads).c_str());
      if (value < 1)
        usage(argument);
      options.threads = static_cast<unsigned>(value);
    } else {
      usage(argument);
    }
  }
  return options;
}

/// The resident set at the first report (the 5 s mark) and at the last one
/// (the threads stopped, the operators still alive), and when that was.
struct Observed {
  double baseline_mb = 0;
  double end_mb = 0;
  double seconds = 0;
};

void print_progress(const bench::LoadFigures &figures, double seconds,
                    Observed &observed) {
  double rss = bench::resident_mb();
  if (observed.baseline_mb == 0)
    observed.baseline_mb = rss;
  observed.end_mb = rss;
  observed.seconds = seconds;
  std::printf("%6.1f s  calls %9lu  mismatches %lu  errors %lu  rss %7.1f MB"
              "  plans %3zu  modules %3zu  evictions %lu\n",
              seconds, figures.calls, figures.mismatches, figures.errors, rss,
              JITCache::global().size(), live_compiled_modules(),
              JITCache::global().evictions());
  std::fflush(stdout);
}

std::int64_t counted(const Record &report, std::string_view field) {
  return report.at(field).as_int();
}

/// The totals; true when every check passed.
bool print_summary(const bench::LoadFigures &figures,
                   const Observed &observed) {
  Record jit = JitPerformanceMetrics::report();
  std::printf("\ncalls %lu (%.0f/s), mismatches %lu, errors %lu, "
              "replacements %lu, state changes %lu\n",
              figures.calls, figures.calls / observed.seconds,
              figures.mismatches, figures.errors, figures.replacements,
              figures.state_changes);
  std::printf("jit: hits %ld, misses %ld, plans built %ld, eager calls %ld, "
              "evictions %lu, compile time %.1f s (all threads)\n",
              counted(jit, "hits"), counted(jit, "misses"),
              counted(jit, "misses") - counted(jit, "eager_calls"),
              counted(jit, "eager_calls"), JITCache::global().evictions(),
              counted(jit, "compile_ns") / 1e9);
  double growth = observed.end_mb - observed.baseline_mb;
  std::printf("rss at 5 s %.1f MB, at the end %.1f MB, growth %+.1f MB "
              "(limit %.0f MB)\n",
              observed.baseline_mb, observed.end_mb, growth, allowed_growth_mb);
  std::printf("after destroying every operator: cached plans %zu, "
              "compiled modules %zu\n",
              JITCache::global().size(), live_compiled_modules());
  bool released =
      JITCache::global().size() == 0 && live_compiled_modules() == 0;
  return figures.mismatches == 0 && figures.errors == 0 &&
         growth <= allowed_growth_mb && released;
}

int stress(const bench::LoadOptions &options) {
  std::printf(
      "%u threads, %zu slots, max_plans %zu, max_plans_per_operator "
      "%zu, %ld s; rss at start %.1f MB\n",
      options.threads, options.slots, options.max_plans,
      options.max_plans_per_operator,
      static_cast<long>(
          std::chrono::duration_cast<std::chrono::seconds>(options.duration)
              .count()),
      bench::resident_mb());
  Observed observed;
  bench::LoadFigures figures = bench::run_load(
      options, [&observed](const bench::LoadFigures &so_far, double seconds) {
        print_progress(so_far, seconds, observed);
      });
  return print_summary(figures, observed) ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  bench::LoadOptions options = parse(argc, argv);
  // Operators reach their plan bound on purpose; each would warn once.
  if (!std::getenv("XCS_LOG"))
    set_log_level(LogLevel::Error);
  return stress(options);
}
