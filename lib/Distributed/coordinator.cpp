//===- Distributed/coordinator.cpp - Rank 0 of a run ----------------------===//

#include "Distributed/coordinator.h"

#include "Batch/batch_figures.h"
#include "Batch/latency_histogram.h"
#include "Distributed/budget_server.h"
#include "Distributed/messages.h"
#include "Distributed/runner_thread.h"
#include "Distributed/timeline_merge.h"
#include "Driver/progress_printer.h"
#include "Driver/run_pipeline.h"
#include "Driver/run_report.h"
#include "xcs/error.h"

#include <array>
#include <cstdio>
#include <map>
#include <mutex>
#include <ostream>
#include <sys/resource.h>
#include <thread>

namespace xcs::distributed {

std::unique_ptr<JobFiles> open_job_files(const XcsRunOptions &options) {
  auto files = std::make_unique<JobFiles>();
  if (options.resume)
    files->done = read_results(*options.out_file, files->repaired);
  files->source =
      std::make_unique<JsonlSource>(*options.data_file, files->done);
  files->results =
      std::make_unique<ResultsFile>(*options.out_file, options.resume);
  return files;
}

namespace {

using Clock = std::chrono::steady_clock;

/// What rank 0's communication thread and its runner share: the data
/// file, the results file and the job's counts.
class Ledger {
public:
  Ledger(JobFiles &files, int ranks)
      : files_(files), handed_(static_cast<std::size_t>(ranks)),
        ended_(static_cast<std::size_t>(ranks)),
        usage_(static_cast<std::size_t>(ranks)) {}

  /// Up to \p count lines for rank \p rank (none: the data is all out).
  std::vector<JsonlLine> hand_out(int rank, std::uint64_t count) {
    std::vector<JsonlLine> lines;
    std::lock_guard lock(mutex_);
    while (lines.size() < count) {
      std::optional<JsonlLine> line = files_.source->next_line();
      if (!line)
        break;
      lines.push_back(std::move(*line));
    }
    handed_[static_cast<std::size_t>(rank)] += lines.size();
    return lines;
  }

  void write(int rank, const OutcomeLine &outcome) {
    std::lock_guard lock(mutex_);
    files_.results->write_line(outcome.line);
    count(rank, outcome);
  }

  /// A worker's batch, with one write(2): rank 0's cost per item is
  /// mostly its writes (docs/distributed.md).
  void write(int rank, OutcomeBatch &batch) {
    std::vector<std::string> lines;
    lines.reserve(batch.outcomes.size());
    for (OutcomeLine &outcome : batch.outcomes)
      lines.push_back(std::move(outcome.line));
    std::lock_guard lock(mutex_);
    files_.results->write_lines(lines);
    for (const OutcomeLine &outcome : batch.outcomes)
      count(rank, outcome);
    usage_[static_cast<std::size_t>(rank)] = {
        batch.retries, batch.prompt_tokens, batch.completion_tokens};
  }

  /// What rank \p rank's models spent so far.
  void set_usage(int rank, const OutcomeBatch &batch) {
    std::lock_guard lock(mutex_);
    usage_[static_cast<std::size_t>(rank)] = {
        batch.retries, batch.prompt_tokens, batch.completion_tokens};
  }

  BatchProgress progress(Clock::time_point began) {
    std::lock_guard lock(mutex_);
    BatchProgress p;
    std::uint64_t handed = 0;
    for (std::size_t r = 0; r < ended_.size(); ++r) {
      p.done += ended_[r];
      handed += handed_[r];
      p.retries += usage_[r][0];
      p.prompt_tokens += usage_[r][1];
      p.completion_tokens += usage_[r][2];
    }
    p.failed = failed_;
    p.in_flight = handed - p.done;
    p.total = files_.source->total();
    p.elapsed = Clock::now() - began;
    batch::derive_rates(p);
    return p;
  }

  /// The job's throughput and latency percentiles, into \p summary.
  void derive_summary_figures(BatchSummary &summary) {
    std::lock_guard lock(mutex_);
    batch::derive_summary_figures(summary, latencies_);
  }
  std::vector<std::uint64_t> ended() {
    std::lock_guard lock(mutex_);
    return ended_;
  }

private:
  /// Under mutex_.
  void count(int rank, const OutcomeLine &outcome) {
    ++ended_[static_cast<std::size_t>(rank)];
    failed_ += outcome.failed;
    latencies_.add(std::chrono::nanoseconds(outcome.latency_ns));
  }

  std::mutex mutex_;
  JobFiles &files_;
  std::vector<std::uint64_t> handed_;
  std::vector<std::uint64_t> ended_;
  std::vector<std::array<std::uint64_t, 3>> usage_;
  std::uint64_t failed_ = 0;
  batch::LatencyHistogram latencies_;
};

/// Rank 0's own items, taken from the data file as its runner has room.
class LocalSource final : public BatchSource {
public:
  LocalSource(Ledger &ledger, std::string data_file)
      : ledger_(ledger), data_file_(std::move(data_file)) {}

  std::optional<BatchItem> next() override {
    std::vector<JsonlLine> lines = ledger_.hand_out(0, 1);
    if (lines.empty())
      return std::nullopt;
    return parse_jsonl_item(data_file_, lines[0].index, lines[0].text);
  }

private:
  Ledger &ledger_;
  std::string data_file_;
};

/// The CPU time this process has used, every thread's.
std::chrono::duration<double> cpu_time() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval &t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return std::chrono::duration<double>(seconds(usage.ru_utime) +
                                       seconds(usage.ru_stime));
}

/// "chunks 12 x 1.4 KiB": messages of a tag and their mean size.
std::string traffic_text(const char *name, const Traffic &traffic) {
  std::uint64_t mean = traffic.messages ? traffic.bytes / traffic.messages : 0;
  return std::string(name) + " " + std::to_string(traffic.messages) + " x " +
         std::to_string(mean) + " B";
}

class Coordinator {
public:
  Coordinator(Job &job, JobFiles &files, std::ostream &out, std::ostream &err,
              bool err_is_terminal)
      : job_(job), files_(files), out_(out), err_(err),
        printer_(err, err_is_terminal), ledger_(files, job.comm.size()),
        reports_(static_cast<std::size_t>(job.comm.size())) {}

  int run();

private:
  void handle(const Message &message);
  void apply(int rank, const PermitTraffic &traffic);
  void grant();
  void note_local_usage(const RunnerThread *local);
  void show_progress(const RunnerThread *local);
  void print_summary_of_job(const BatchSummary *local);

  Job &job_;
  JobFiles &files_;
  std::ostream &out_;
  std::ostream &err_;
  ProgressPrinter printer_;
  Ledger ledger_;
  BudgetServer budgets_;
  std::vector<WorkerReport> reports_;
  int finished_ = 0;
  Clock::time_point began_ = Clock::now();
  Clock::time_point next_progress_ = began_;
  std::chrono::duration<double> cpu_began_ = cpu_time();
};

void Coordinator::apply(int rank, const PermitTraffic &traffic) {
  Clock::time_point now = Clock::now();
  for (const PermitAsk &ask : traffic.asks)
    budgets_.ask({rank, ask.permit}, ask.endpoint, ask.limits, ask.tokens, now);
  for (const PermitRelease &release : traffic.releases)
    budgets_.release({rank, release.permit}, release.end, release.refund, now);
}

void Coordinator::grant() {
  std::map<int, std::vector<std::uint64_t>> by_rank;
  for (const PermitId &permit : budgets_.grant(Clock::now())) {
    if (permit.first == 0)
      job_.broker->granted(permit.second);
    else
      by_rank[permit.first].push_back(permit.second);
  }
  for (const auto &[rank, permits] : by_rank) {
    WireWriter out;
    out.put<std::uint64_t>(permits.size());
    for (std::uint64_t permit : permits)
      out.put(permit);
    job_.comm.send(rank, Tag::Grants, out.take());
  }
}

void Coordinator::handle(const Message &message) {
  switch (message.tag) {
  case Tag::WorkRequest: {
    WireReader in(message.bytes);
    auto wanted = in.get<std::uint64_t>();
    job_.comm.send(message.from, Tag::Chunk,
                   encode_chunk(ledger_.hand_out(message.from, wanted)));
    return;
  }
  case Tag::Outcomes: {
    OutcomeBatch batch = OutcomeBatch::decode(message.bytes);
    ledger_.write(message.from, batch);
    return;
  }
  case Tag::Permits:
    apply(message.from, PermitTraffic::decode(message.bytes));
    return;
  case Tag::Finished:
    reports_[static_cast<std::size_t>(message.from)] =
        WorkerReport::decode(message.bytes);
    ++finished_;
    return;
  case Tag::Chunk:
  case Tag::Grants:
    break;
  }
  throw Error("rank 0 got an unexpected message (tag " +
              std::to_string(static_cast<int>(message.tag)) + ") from rank " +
              std::to_string(message.from));
}

void Coordinator::note_local_usage(const RunnerThread *local) {
  if (!local)
    return;
  BatchProgress progress = local->progress();
  ledger_.set_usage(0, OutcomeBatch{progress.retries,
                                    progress.prompt_tokens,
                                    progress.completion_tokens,
                                    {}});
}

void Coordinator::show_progress(const RunnerThread *local) {
  Clock::time_point now = Clock::now();
  if (job_.options.quiet || now < next_progress_)
    return;
  next_progress_ = now + printer_.interval();
  // Only now: asking the runner costs a lock and the endpoints' names,
  // too much for every turn of the loop.
  note_local_usage(local);
  printer_.show(ledger_.progress(began_), false);
}

int Coordinator::run() {
  const XcsRunOptions &options = job_.options;
  MpiComm &comm = job_.comm;
  if (files_.repaired && !options.quiet)
    err_ << run_tool_name << ": repaired the torn last line of '"
         << *options.out_file << "' (its item runs again)\n";
  if (!options.quiet)
    err_ << run_tool_name << ": running " << files_.source->total().value_or(0)
         << " items of " << files_.source->lines() << " on " << comm.size()
         << " ranks, at most " << options.max_in_flight << " in flight per rank"
         << std::endl;
  next_progress_ = began_ + printer_.interval();

  LocalSource local_source(ledger_, *options.data_file);
  std::unique_ptr<RunnerThread> local;
  if (options.local_items || comm.size() == 1) {
    BatchOptions batch = run_batch_options(options);
    batch.timeline = job_.timeline;
    local = std::make_unique<RunnerThread>(
        job_.op, batch, local_source, [&](BatchOutcome outcome) {
          ledger_.write(0,
                        OutcomeLine{outcome.index, outcome.error != nullptr,
                                    outcome.latency.count(),
                                    result_line(outcome.index, outcome.output,
                                                outcome.error)});
        });
  }
  while (true) {
    bool local_done = !local || local->done();
    bool busy = false;
    if (PermitTraffic mine = job_.broker->take(); !mine.empty()) {
      apply(0, mine);
      busy = true;
    }
    while (std::optional<Message> message = comm.receive()) {
      handle(*message);
      busy = true;
    }
    grant();
    show_progress(local.get());
    bool sent = comm.sends_done();
    if (local_done && finished_ == comm.size() - 1 && sent)
      break;
    job_.doorbell->rest(busy);
  }
  const BatchSummary *local_summary = local ? &local->summary() : nullptr;
  note_local_usage(local.get());
  if (!options.quiet) {
    printer_.show(ledger_.progress(began_), false);
    printer_.end_line();
  }
  print_summary_of_job(local_summary);
  return 0;
}

void Coordinator::print_summary_of_job(const BatchSummary *local) {
  BatchSummary summary;
  summary.progress = ledger_.progress(began_);
  ledger_.derive_summary_figures(summary);
  if (local) {
    add_usage(summary.endpoints, local->endpoints);
    add_node_times(summary.node_times, local->node_times);
  }
  for (const WorkerReport &report : reports_) {
    add_usage(summary.endpoints, report.endpoints);
    add_node_times(summary.node_times, report.node_times);
  }
  // The ranks' final usage, not what their last outcomes carried.
  summary.progress.retries = summary.progress.prompt_tokens =
      summary.progress.completion_tokens = 0;
  for (const ops::EndpointUsage &usage : summary.endpoints) {
    summary.progress.retries += usage.retries;
    summary.progress.prompt_tokens += usage.prompt_tokens;
    summary.progress.completion_tokens += usage.completion_tokens;
  }
  if (!job_.timeline.empty())
    merge_timelines(job_.timeline, local != nullptr, reports_);
  print_summary(out_, summary, files_.done.size(), *job_.options.out_file);

  MpiComm &comm = job_.comm;
  std::vector<std::uint64_t> ended = ledger_.ended();
  out_ << "ranks " << comm.size() << ", items per rank:";
  for (std::size_t rank = 0; rank < ended.size(); ++rank)
    out_ << ' ' << rank << '=' << ended[rank];
  out_ << '\n';
  if (comm.size() > 1) {
    auto tally = [](const std::map<Tag, Traffic> &traffic, Tag tag) {
      auto found = traffic.find(tag);
      return found == traffic.end() ? Traffic{} : found->second;
    };
    out_ << "messages: "
         << traffic_text("chunks", tally(comm.sent(), Tag::Chunk)) << ", "
         << traffic_text("outcome batches",
                         tally(comm.received(), Tag::Outcomes))
         << ", "
         << traffic_text("work requests",
                         tally(comm.received(), Tag::WorkRequest))
         << ", "
         << traffic_text("permit batches", tally(comm.received(), Tag::Permits))
         << ", " << traffic_text("grants", tally(comm.sent(), Tag::Grants))
         << '\n';
    // What the coordinating costs rank 0 (its items' too, unless
    // --no-local-items): the measure of how many ranks it can feed.
    double cpu = (cpu_time() - cpu_began_).count();
    char text[96];
    std::snprintf(
        text, sizeof text, "rank 0 cpu %.2f s, %.0f items per cpu second\n",
        cpu, cpu > 0 ? static_cast<double>(summary.progress.done) / cpu : 0.0);
    out_ << text;
  }
}

} // namespace

int run_coordinator(Job &job, JobFiles &files, std::ostream &out,
                    std::ostream &err, bool err_is_terminal) {
  return Coordinator(job, files, out, err, err_is_terminal).run();
}

} // namespace xcs::distributed
