//===- ratio_report.cpp - Ratios between benchmarks of one run ------------===//

#include "ratio_report.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

namespace xcs::bench {
namespace {

using Run = benchmark::BenchmarkReporter::Run;

/// Passes every report on to the display reporter and keeps each
/// benchmark's real time per iteration, in seconds.
class CollectingReporter : public benchmark::BenchmarkReporter {
public:
  explicit CollectingReporter(benchmark::BenchmarkReporter &display)
      : display_(display) {}

  bool ReportContext(const Context &context) override {
    return display_.ReportContext(context);
  }
  void ReportRuns(const std::vector<Run> &runs) override {
    display_.ReportRuns(runs);
    for (const Run &run : runs)
      keep(run);
  }
  void Finalize() override { display_.Finalize(); }

  /// The median aggregate when repetitions made one, else the median of
  /// the iteration runs; nullopt when \p name did not run.
  std::optional<double> seconds(const std::string &name) const {
    auto found = times_.find(name);
    if (found == times_.end())
      return std::nullopt;
    const Times &times = found->second;
    if (times.median)
      return times.median;
    std::vector<double> samples = times.samples;
    if (samples.empty())
      return std::nullopt;
    auto middle = samples.begin() + samples.size() / 2;
    std::nth_element(samples.begin(), middle, samples.end());
    return *middle;
  }

  std::size_t count() const { return times_.size(); }

private:
  struct Times {
    std::optional<double> median;
    std::vector<double> samples;
  };

  /// Keeps the time the benchmark measures: real time when it asked for
  /// it, else CPU time. Either way it is keyed by the name without the
  /// "/real_time" (or "/manual_time") and "/min_time:..." suffixes.
  void keep(const Run &run) {
    if (run.error_occurred)
      return;
    bool real = !run.run_name.time_type.empty();
    double seconds =
        (real ? run.GetAdjustedRealTime() : run.GetAdjustedCPUTime()) /
        benchmark::GetTimeUnitMultiplier(run.time_unit);
    benchmark::BenchmarkName name = run.run_name;
    name.time_type.clear();
    name.min_time.clear();
    Times &times = times_[name.str()];
    if (run.run_type == Run::RT_Iteration)
      times.samples.push_back(seconds);
    else if (run.aggregate_name == "median")
      times.median = seconds;
  }

  benchmark::BenchmarkReporter &display_;
  std::map<std::string, Times> times_;
};

/// \p seconds in the unit that leaves three or four significant digits.
std::string human(double seconds) {
  struct Unit {
    double scale;
    const char *name;
  };
  static constexpr Unit units[] = {{1e-9, "ns"}, {1e-6, "us"}, {1e-3, "ms"}};
  const Unit *unit = &units[0];
  for (const Unit &candidate : units)
    if (seconds >= candidate.scale * 0.999)
      unit = &candidate;
  char text[32];
  std::snprintf(text, sizeof text, "%.1f %s", seconds / unit->scale,
                unit->name);
  return text;
}

/// "met" or "MISSED" against the ratio's target, or "" without one.
std::string verdict(const Ratio &ratio, double value) {
  if (!ratio.at_most)
    return "";
  char text[48];
  std::snprintf(text, sizeof text, "  target <= %.2f: %s", *ratio.at_most,
                value <= *ratio.at_most ? "met" : "MISSED");
  return text;
}

void print_ratio(const CollectingReporter &collected, const Ratio &ratio) {
  std::optional<double> numerator = collected.seconds(ratio.numerator);
  std::optional<double> denominator = collected.seconds(ratio.denominator);
  if (!numerator || !denominator || *denominator <= 0)
    return;
  double value = *numerator / *denominator;
  std::string difference = (*numerator >= *denominator ? "+" : "-") +
                           human(std::abs(*numerator - *denominator));
  std::fprintf(stderr, "%-34s / %-34s = %6.3f  (%s / %s, diff %s)%s\n",
               ratio.numerator.c_str(), ratio.denominator.c_str(), value,
               human(*numerator).c_str(), human(*denominator).c_str(),
               difference.c_str(), verdict(ratio, value).c_str());
}

void print_limit(const CollectingReporter &collected, const Limit &limit) {
  std::optional<double> seconds = collected.seconds(limit.benchmark);
  if (!seconds)
    return;
  std::fprintf(stderr, "%-34s = %s  target <= %s: %s\n",
               limit.benchmark.c_str(), human(*seconds).c_str(),
               human(limit.at_most_ns * 1e-9).c_str(),
               *seconds <= limit.at_most_ns * 1e-9 ? "met" : "MISSED");
}

} // namespace

int run_with_ratios(int argc, char **argv, const Registration &register_all) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  Summary summary = register_all();
  std::unique_ptr<benchmark::BenchmarkReporter> display(
      benchmark::CreateDefaultDisplayReporter());
  CollectingReporter collected(*display);
  benchmark::RunSpecifiedBenchmarks(&collected);
  benchmark::Shutdown();
  if (collected.count() == 0)
    return 1;
  std::fprintf(stderr, "\nTimes per iteration (medians when repeated) "
                       "against their targets, and ratios measured in this "
                       "run:\n");
  for (const Limit &limit : summary.limits)
    print_limit(collected, limit);
  for (const Ratio &ratio : summary.ratios)
    print_ratio(collected, ratio);
  return 0;
}

} // namespace xcs::bench
