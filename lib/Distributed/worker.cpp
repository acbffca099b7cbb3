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
#include <thread>
#include <unistd.h>
#include <utility>

namespace xcs::distributed {
namespace {

/// The worker's queues between its communication thread and its runner.
/// The runner rings the communication thread when it has outcomes to send
/// and when its lines run low (below one or two chunks: the worker asks
/// for more there).
class Mailbox {
public:
  Mailbox(Doorbell &doorbell, std::size_t chunk)
      : doorbell_(doorbell), chunk_(chunk) {}

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
    std::size_t left = lines_.size();
    lock.unlock();
    if (left + 1 == chunk_ || left + 1 == 2 * chunk_)
      doorbell_.ring();
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

  /// Rings only for the first outcome since the last take: one ring a
  /// turn of the communication thread, whatever the rate.
  void add_outcome(OutcomeLine outcome) {
    bool first = false;
    {
      std::lock_guard lock(mutex_);
      first = outcomes_.empty();
      outcomes_.push_back(std::move(outcome));
    }
    if (first)
      doorbell_.ring();
  }
  std::vector<OutcomeLine> take_outcomes() {
    std::lock_guard lock(mutex_);
    return std::exchange(outcomes_, {});
  }

private:
  Doorbell &doorbell_;
  const std::size_t chunk_;
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

/// One worker rank: its communication loop, a turn at a time.
class Worker {
public:
  explicit Worker(Job &job)
      : job_(job), comm_(job.comm), mailbox_(*job.doorbell, job.chunk_size()),
        source_(mailbox_, *job.options.data_file),
        batch_(worker_batch_options(job)),
        runner_(job.op, batch_, source_, [this](BatchOutcome outcome) {
          mailbox_.add_outcome(OutcomeLine{
              outcome.index, outcome.error != nullptr, outcome.latency.count(),
              result_line(outcome.index, outcome.output, outcome.error)});
        }) {}
  /// Should the rank fail, its runner must not wait for lines that will
  /// never come while it is cancelled and joined.
  ~Worker() { mailbox_.close(); }

  void run() {
    while (true) {
      // Read first: whatever the runner queued before it ended is sent
      // below.
      bool runner_done = runner_.done();
      bool busy = receive();
      ask_for_items();
      busy |= send_permits();
      busy |= send_outcomes();
      if (runner_done && !reported_) {
        report();
        reported_ = true;
      }
      // Every ask is answered (the last ones with no lines) before the
      // rank ends, so that no message to it is left unreceived.
      if (comm_.sends_done() && reported_ && asks_ == 0)
        return;
      job_.doorbell->rest(busy);
    }
  }

private:
  using Clock = std::chrono::steady_clock;
  /// Two asks may be on their way, so that the next chunk is already
  /// coming while the runner starts this one: a round trip never idles it.
  static constexpr int max_asks = 2;
  /// How often outcome batches carry fresh usage (for rank 0's progress):
  /// asking the runner costs a lock and the endpoints' names.
  static constexpr std::chrono::milliseconds usage_interval{200};

  /// The runner's options; its timeline goes to rank 0 in the report,
  /// through a file of this host's own.
  static BatchOptions worker_batch_options(const Job &job) {
    BatchOptions batch = run_batch_options(job.options);
    batch.timeline =
        job.timeline.empty()
            ? ""
            : (std::filesystem::temp_directory_path() /
               ("xcs-run-timeline-" + std::to_string(::getpid()) + "-rank" +
                std::to_string(job.comm.rank()) + ".json"))
                  .string();
    return batch;
  }

  /// Takes what arrived; whether anything did.
  bool receive() {
    bool any = false;
    while (std::optional<Message> message = comm_.receive()) {
      any = true;
      if (message->tag == Tag::Chunk) {
        mailbox_.add_lines(decode_chunk(message->bytes));
        --asks_;
      } else if (message->tag == Tag::Grants) {
        WireReader in(message->bytes);
        for (auto n = in.get<std::uint64_t>(); n > 0; --n)
          job_.broker->granted(in.get<std::uint64_t>());
      } else {
        throw Error("rank " + std::to_string(comm_.rank()) +
                    " got an unexpected message (tag " +
                    std::to_string(static_cast<int>(message->tag)) +
                    ") from rank " + std::to_string(message->from));
      }
    }
    return any;
  }

  /// Asks before the runner runs dry: enough to fill its room at first,
  /// a chunk at a time after.
  void ask_for_items() {
    const std::size_t chunk = job_.chunk_size();
    while (asks_ < max_asks && !mailbox_.no_more() &&
           mailbox_.waiting() + static_cast<std::size_t>(asks_) * chunk <
               max_asks * chunk) {
      WireWriter want;
      want.put<std::uint64_t>(
          asks_made_ == 0 ? job_.options.max_in_flight + chunk : chunk);
      comm_.send(0, Tag::WorkRequest, want.take());
      ++asks_;
      ++asks_made_;
    }
  }

  bool send_permits() {
    PermitTraffic permits = job_.broker->take();
    if (permits.empty())
      return false;
    comm_.send(0, Tag::Permits, permits.encode());
    return true;
  }

  bool send_outcomes() {
    std::vector<OutcomeLine> outcomes = mailbox_.take_outcomes();
    if (outcomes.empty())
      return false;
    if (Clock::now() >= next_usage_) {
      BatchProgress progress = runner_.progress();
      usage_ = {progress.retries,
                progress.prompt_tokens,
                progress.completion_tokens,
                {}};
      next_usage_ = Clock::now() + usage_interval;
    }
    usage_.outcomes = std::move(outcomes);
    comm_.send(0, Tag::Outcomes, usage_.encode());
    usage_.outcomes.clear();
    return true;
  }

  void report() {
    const BatchSummary &summary = runner_.summary();
    WorkerReport report{
        summary.endpoints, summary.node_times,
        batch_.timeline.empty() ? "" : read_and_remove(batch_.timeline)};
    comm_.send(0, Tag::Finished, report.encode());
  }

  Job &job_;
  MpiComm &comm_;
  Mailbox mailbox_;
  ChunkSource source_;
  BatchOptions batch_;
  int asks_ = 0;
  std::uint64_t asks_made_ = 0;
  bool reported_ = false;
  Clock::time_point next_usage_ = Clock::now();
  OutcomeBatch usage_;
  // Last: it runs as soon as it is made, and is cancelled and joined
  // before the rest goes.
  RunnerThread runner_;
};

} // namespace

void run_worker(Job &job) { Worker(job).run(); }

} // namespace xcs::distributed
