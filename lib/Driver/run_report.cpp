//===- Driver/run_report.cpp - xcs-run's progress and summary -------------===//

#include "Driver/run_report.h"

#include "Driver/columns.h"

#include <cstdio>
#include <ostream>

namespace xcs {
namespace {

std::string format(const char *pattern, double value) {
  char text[64];
  std::snprintf(text, sizeof text, pattern, value);
  return text;
}

/// "1.23 s", "45 ms", "870 us".
std::string duration_text(std::chrono::nanoseconds time) {
  double seconds = std::chrono::duration<double>(time).count();
  if (seconds >= 1)
    return format("%.2f s", seconds);
  if (seconds >= 1e-3)
    return format("%.1f ms", seconds * 1e3);
  return format("%.0f us", seconds * 1e6);
}

/// "1:05:09", "4:02".
std::string clock_text(std::chrono::nanoseconds time) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time).count();
  char text[32];
  if (seconds >= 3600)
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld",
                  static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60),
                  static_cast<long long>(seconds % 60));
  else
    std::snprintf(text, sizeof text, "%lld:%02lld",
                  static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  return text;
}

} // namespace

std::string progress_text(const BatchProgress &progress) {
  std::string text = "done " + std::to_string(progress.done);
  if (progress.total)
    text += "/" + std::to_string(*progress.total);
  text += " (" + std::to_string(progress.failed) + " failed), " +
          format("%.1f", progress.items_per_second) + " items/s";
  if (progress.eta)
    text += ", ETA " + clock_text(*progress.eta);
  text += ", in flight " + std::to_string(progress.in_flight) + ", retries " +
          std::to_string(progress.retries) + ", tokens " +
          std::to_string(progress.prompt_tokens) + "+" +
          std::to_string(progress.completion_tokens);
  return text;
}

void print_summary(std::ostream &out, const BatchSummary &summary,
                   std::uint64_t skipped, const std::string &written) {
  const BatchProgress &p = summary.progress;
  out << "items: " << p.done << " ended (" << p.done - p.failed
      << " succeeded, " << p.failed << " failed)";
  if (skipped)
    out << ", " << skipped << " done before (resumed)";
  if (p.total && *p.total > p.done)
    out << ", " << *p.total - p.done << " not run";
  out << '\n';
  if (summary.cancelled)
    out << "interrupted twice: items in flight were cancelled ("
        << summary.abandoned
        << " left running); those that failed were not written and run "
           "again on --resume\n";
  else if (summary.stopped)
    out << "interrupted: no item started after Ctrl-C; --resume runs the "
           "rest\n";
  out << "results: " << written << '\n'
      << "wall time " << duration_text(p.elapsed) << ", throughput "
      << format("%.1f", summary.throughput) << " items/s\n"
      << "item latency p50 " << duration_text(summary.latency_p50) << ", p95 "
      << duration_text(summary.latency_p95) << ", p99 "
      << duration_text(summary.latency_p99) << '\n'
      << "retries " << p.retries << '\n';
  std::vector<std::pair<std::string, std::string>> rows;
  for (const ops::EndpointUsage &usage : summary.endpoints)
    rows.emplace_back(usage.endpoint,
                      std::to_string(usage.calls) + " calls, " +
                          std::to_string(usage.failures) + " failed, " +
                          std::to_string(usage.retries) + " retries, tokens " +
                          std::to_string(usage.prompt_tokens) + " prompt + " +
                          std::to_string(usage.completion_tokens) +
                          " completion");
  if (!rows.empty()) {
    out << "endpoints:\n";
    print_columns(out, rows);
  }
  rows.clear();
  for (const Record &node : summary.node_times) {
    std::int64_t calls = node.at("calls").as_int();
    std::int64_t total = node.at("total_ns").as_int();
    rows.emplace_back(
        "%" + std::to_string(node.at("node").as_int()) + " " +
            std::string(node.at("operator").as_string()),
        std::to_string(calls) + " calls, total " +
            duration_text(std::chrono::nanoseconds(total)) + ", mean " +
            duration_text(std::chrono::nanoseconds(calls ? total / calls : 0)) +
            ", max " +
            duration_text(std::chrono::nanoseconds(node.at("max_ns").as_int())));
  }
  if (!rows.empty()) {
    out << "plan nodes:\n";
    print_columns(out, rows);
  }
}

} // namespace xcs
