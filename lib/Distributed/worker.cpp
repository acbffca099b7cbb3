//===- Distributed/worker.cpp - A rank other than 0 -----------------------===//

#include "Distributed/worker.h"

#include "Distributed/messages.h"
#include "Distributed/runner_thread.h"
#include "Driver/jsonl_source.h"
#include "Driver/results_file.h"
#include "Driver/run_pipeline.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <utility>
#include <thread>
#include <unistd.h>

namespace xcs::distributed {
namespace {

/// The worker's queues between its communication thread and its runner.
class Mailbox {
public:
  /// No more lines come (the rank is failing): next_line() returns
  /// nullopt once the lines there are have gone.
  void close() { add_lines({}); }

  /// Lines rank 0 sent (none: there are no more).
  void add_lines(std::vector<JsonlLine> lines) {
    {
      std::lock_guard lock(mutex_);
      if (lines.empty())
        no_more_ = true;
      for (JsonlLine &line : lines)
        lines_.push_back(std::move(line));
    }
    arrived_.notify_all();
  }

  /// The next line, once one came; nullopt when there are no more.
  std::optional<JsonlLine> next_line() {
    std::unique_lock lock(mutex_);
    arrived_.wait(lock, [&] { return !lines_.empty() || no_more_; });
    if (lines_.empty())
      return std::nullopt;
    JsonlLine line = std::move(lines_.front());
    lines_.pop_front();
    return line;
  }

  /// Lines waiting to start; whether rank 0 has more.
  std::size_t waiting() {
    std::lock_guard lock(mutex_);
    return lines_.size();
  }
  bool no_more() {
    std::lock_guard lock(mutex_);
    return no_more_;
  }

  void add_outcome(OutcomeLine outcome) {
    std::lock_guard lock(mutex_);
    outcomes_.push_back(std::move(outcome));
  }
  std::vector<OutcomeLine> take_outcomes() {
    std::lock_guard lock(mutex_);
    return std::exchange(outcomes_, {});
  }

private:
  std::mutex mutex_;
  std::condition_variable arrived_;
  std::deque<JsonlLine> lines_;
  bool no_more_ = false;
  std::vector<OutcomeLine> outcomes_;
};

/// The runner's items: the lines rank 0 sent, parsed here as one process
/// parses them.
class ChunkSource final : public BatchSource {
public:
  ChunkSource(Mailbox &mailbox, std::string data_file)
      : mailbox_(mailbox), data_file_(std::move(data_file)) {}

  std::optional<BatchItem> next() override {
    std::optional<JsonlLine> line = mailbox_.next_line();
    if (!line)
      return std::nullopt;
    return parse_jsonl_item(data_file_, line->index, line->text);
  }

private:
  Mailbox &mailbox_;
  std::string data_file_;
};

std::string read_and_remove(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::filesystem::remove(path);
  return text.str();
}

} // namespace

void run_worker(Job &job) {
  MpiComm &comm = job.comm;
  Mailbox mailbox;
  ChunkSource source(mailbox, *job.options.data_file);
  BatchOptions batch = run_batch_options(job.options);
  // The worker's timeline goes to rank 0 in its report, through a file of
  // this host's own.
  batch.timeline =
      job.timeline.empty()
          ? ""
          : (std::filesystem::temp_directory_path() /
             ("xcs-run-timeline-" + std::to_string(::getpid()) + "-rank" +
              std::to_string(comm.rank()) + ".json"))
                .string();
  RunnerThread runner(job.op, batch, source, [&](BatchOutcome outcome) {
    mailbox.add_outcome(OutcomeLine{
        outcome.index, outcome.error != nullptr, outcome.latency.count(),
        result_line(outcome.index, outcome.output, outcome.error)});
  });
  // Should this rank fail, its runner must not wait for lines that will
  // never come while it is cancelled and joined.
  struct CloseOnExit {
    Mailbox &mailbox;
    ~CloseOnExit() { mailbox.close(); }
  } close_on_exit{mailbox};

  const std::size_t chunk = job.chunk_size();
  // Two asks may be on their way, so that the next chunk is already coming
  // while the runner starts this one: a round trip never idles the runner.
  constexpr int max_asks = 2;
  int asks = 0;
  bool first_ask = true;
  bool reported = false;
  using Clock = std::chrono::steady_clock;
  constexpr std::chrono::milliseconds usage_interval{200};
  Clock::time_point next_usage = Clock::now();
  OutcomeBatch usage;
  while (true) {
    // Read first: whatever the runner queued before it ended is sent below.
    bool runner_done = runner.done();
    bool busy = false;
    while (std::optional<Message> message = comm.receive()) {
      busy = true;
      if (message->tag == Tag::Chunk) {
        mailbox.add_lines(decode_chunk(message->bytes));
        --asks;
      } else if (message->tag == Tag::Grants) {
        WireReader in(message->bytes);
        for (auto n = in.get<std::uint64_t>(); n > 0; --n)
          job.broker->granted(in.get<std::uint64_t>());
      } else {
        throw Error("rank " + std::to_string(comm.rank()) +
                    " got an unexpected message (tag " +
                    std::to_string(static_cast<int>(message->tag)) +
                    ") from rank " + std::to_string(message->from));
      }
    }
    // Asked for before the runner runs dry: enough to fill its room at
    // first, a chunk at a time after.
    while (asks < max_asks && !mailbox.no_more() &&
           mailbox.waiting() + static_cast<std::size_t>(asks) * chunk <
               max_asks * chunk) {
      WireWriter want;
      want.put<std::uint64_t>(first_ask ? job.options.max_in_flight + chunk
                                        : chunk);
      comm.send(0, Tag::WorkRequest, want.take());
      ++asks;
      first_ask = false;
    }
    if (PermitTraffic permits = job.broker->take(); !permits.empty()) {
      comm.send(0, Tag::Permits, permits.encode());
      busy = true;
    }
    if (std::vector<OutcomeLine> outcomes = mailbox.take_outcomes();
        !outcomes.empty()) {
      // The usage now and then: asking the runner costs a lock and the
      // endpoints' names, too much for every batch.
      if (Clock::now() >= next_usage) {
        BatchProgress progress = runner.progress();
        usage = {progress.retries, progress.prompt_tokens,
                 progress.completion_tokens, {}};
        next_usage = Clock::now() + usage_interval;
      }
      usage.outcomes = std::move(outcomes);
      comm.send(0, Tag::Outcomes, usage.encode());
      usage.outcomes.clear();
      busy = true;
    }
    if (runner_done && !reported) {
      const BatchSummary &summary = runner.summary();
      WorkerReport report{summary.endpoints, summary.node_times,
                          batch.timeline.empty()
                              ? ""
                              : read_and_remove(batch.timeline)};
      comm.send(0, Tag::Finished, report.encode());
      reported = true;
    }
    if (reported && comm.sends_done())
      return;
    comm.sends_done();
    if (!busy)
      std::this_thread::sleep_for(idle_poll);
  }
}

} // namespace xcs::distributed
