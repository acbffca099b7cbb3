//===- mpi_run_test.cpp - xcs-run under mpirun ----------------------------===//
//
// The real tool under mpirun, on this machine's cores (oversubscribed), its
// results compared with a one-process run of the same items: every index
// exactly once, with the same bytes. Skipped, saying so, without mpirun.
//
//===----------------------------------------------------------------------===//

#include "Driver/xcs_run.h"
#include "../Batch/xcs_run_support.h"
#include "chat_server.h"

#include "xcs/json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace xcs {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string tool = XCS_RUN_TOOL;
const std::string mpiexec = XCS_MPIEXEC;
const std::string work_plugin = XCS_WORK_PLUGIN;
const std::string inputs = XCS_DISTRIBUTED_TEST_INPUTS;
const std::string batch_inputs = XCS_BATCH_TEST_INPUTS;

#define REQUIRE_MPIRUN()                                                       \
  do {                                                                         \
    if (mpiexec.empty() || ::access(mpiexec.c_str(), X_OK) != 0)               \
      GTEST_SKIP() << "mpirun not found (install openmpi-bin: "                \
                      "bash cmake/dev.sh test)";                               \
  } while (false)

/// A scratch directory of this file's tests.
class Scratch : public test::Scratch {
public:
  Scratch() : test::Scratch("xcs-mpi-test") {}
};

using test::read_file;
using test::write_file;

using Result = test::ToolResult;
using test::results;
using test::run_tool;

/// Runs `mpirun -np RANKS xcs-run ARGS...` with \p env added, its output in
/// \p scratch; kills it after a minute (a hang is a failure, not a wait).
Result
mpirun(const Scratch &scratch, int ranks, const std::vector<std::string> &args,
       const std::vector<std::pair<std::string, std::string>> &env = {}) {
  std::vector<std::string> command{mpiexec, "--oversubscribe", "-np",
                                   std::to_string(ranks)};
  if (::geteuid() == 0)
    command.insert(command.begin() + 1, "--allow-run-as-root");
  command.push_back(tool);
  command.insert(command.end(), args.begin(), args.end());
  std::string out = scratch.path("mpirun.out"),
              err = scratch.path("mpirun.err");
  pid_t pid = ::fork();
  if (pid == 0) {
    for (const auto &[name, value] : env)
      ::setenv(name.c_str(), value.c_str(), 1);
    int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    std::vector<char *> argv;
    for (std::string &arg : command)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  Result result;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ADD_FAILURE() << "mpirun did not end within a minute";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  result.out = read_file(out);
  result.err = read_file(err);
  return result;
}



/// Items per rank, from the summary's "items per rank: 0=N 1=M ...".
std::vector<int> items_per_rank(const std::string &summary) {
  std::vector<int> counts;
  std::size_t at = summary.find("items per rank:");
  if (at == std::string::npos)
    return counts;
  std::size_t begin = at + std::string_view("items per rank:").size();
  std::istringstream line(
      summary.substr(begin, summary.find('\n', begin) - begin));
  std::string entry;
  while (line >> entry)
    counts.push_back(std::stoi(entry.substr(entry.find('=') + 1)));
  return counts;
}

/// \p n queries; every 10th one fails in pair.xcs ("boom"), and two lines
/// are not items.
void write_queries(const std::string &path, int n) {
  std::string text;
  for (int i = 0; i < n; ++i)
    text += i == 13   ? "{\"query\": 5,}\n"
            : i == 21 ? "\n"
                      : std::string("{\"query\": \"") +
                            (i % 10 == 7 ? "boom " : "q") + std::to_string(i) +
                            "\"}\n";
  write_file(path, text);
}

void write_numbers(const std::string &path, int n) {
  std::string text;
  for (int i = 0; i < n; ++i)
    text += "{\"x\": " + std::to_string(i) + "}\n";
  write_file(path, text);
}

TEST(MpiRun, OneTwoAndFourRanksWriteTheOneProcessResults) {
  REQUIRE_MPIRUN();
  Scratch scratch;
  std::string data = scratch.path("items.jsonl");
  write_queries(data, 120);
  std::string pipeline = batch_inputs + "/pair.xcs";
  std::string expected_file = scratch.path("one.jsonl");
  Result one = run_tool(
      {pipeline, "--data", data, "--out", expected_file, "--quiet"});
  ASSERT_EQ(one.status, 0) << one.err;
  std::map<std::int64_t, std::string> expected = results(expected_file);
  ASSERT_EQ(expected.size(), 120u);
  for (int ranks : {1, 2, 4}) {
    std::string out = scratch.path("out" + std::to_string(ranks) + ".jsonl");
    // Small chunks and windows, so that every rank gets items.
    Result r = mpirun(scratch, ranks,
                      {pipeline, "--data", data, "--out", out,
                       "--max-in-flight", "4", "--chunk-size", "2"});
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(results(out), expected) << ranks << " ranks";
    std::vector<int> counts = items_per_rank(r.out);
    ASSERT_EQ(counts.size(), static_cast<std::size_t>(ranks)) << r.out;
    for (int rank = 0; rank < ranks; ++rank)
      EXPECT_GT(counts[static_cast<std::size_t>(rank)], 0)
          << "rank " << rank << " ran nothing:\n"
          << r.out;
    EXPECT_THAT(r.out, HasSubstr("items: 120 ended (106 succeeded, 14 failed)"))
        << r.out;
    // The job's progress, from rank 0 alone.
    EXPECT_THAT(r.err, HasSubstr("xcs-run: running 120 items of 120 on " +
                                 std::to_string(ranks) + " ranks"))
        << r.err;
    std::string last_progress = "xcs-run: done 120/120 (14 failed)";
    std::size_t at = r.err.find(last_progress);
    EXPECT_NE(at, std::string::npos) << r.err;
    EXPECT_EQ(r.err.find(last_progress, at + 1), std::string::npos) << r.err;
  }
  // Rank 0 only coordinating: the workers run every item.
  std::string out = scratch.path("coordinator-only.jsonl");
  Result r = mpirun(scratch, 3,
                    {pipeline, "--data", data, "--out", out, "--max-in-flight",
                     "4", "--chunk-size", "2", "--no-local-items"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(results(out), expected);
  std::vector<int> counts = items_per_rank(r.out);
  ASSERT_EQ(counts.size(), 3u) << r.out;
  EXPECT_EQ(counts[0], 0);
  EXPECT_EQ(counts[1] + counts[2], 120);
}

TEST(MpiRun, ASlowRankGetsFewerItems) {
  REQUIRE_MPIRUN();
  Scratch scratch;
  std::string data = scratch.path("numbers.jsonl");
  write_numbers(data, 240);
  std::string out = scratch.path("out.jsonl");
  // Rank 1 takes 40 ms an item, the others 2 ms.
  Result r = mpirun(scratch, 3,
                    {inputs + "/work.xcs", "--load", work_plugin, "--data",
                     data, "--out", out, "--max-in-flight", "1", "--chunk-size",
                     "1", "--quiet"},
                    {{"XCS_TEST_ITEM_MS", "2"},
                     {"XCS_TEST_SLOW_RANK", "1"},
                     {"XCS_TEST_SLOW_MS", "40"}});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(results(out).size(), 240u);
  std::vector<int> counts = items_per_rank(r.out);
  ASSERT_EQ(counts.size(), 3u) << r.out;
  EXPECT_LT(counts[1] * 3, counts[0]) << r.out;
  EXPECT_LT(counts[1] * 3, counts[2]) << r.out;
}

TEST(MpiRun, AKilledRankEndsTheJobAndResumesFinishIt) {
  REQUIRE_MPIRUN();
  Scratch scratch;
  std::string data = scratch.path("numbers.jsonl");
  write_numbers(data, 300);
  std::string pipeline = inputs + "/work.xcs";
  std::string expected_file = scratch.path("one.jsonl");
  ASSERT_EQ(run_tool({pipeline, "--load", work_plugin, "--data", data,
                         "--out", expected_file, "--quiet"})
                .status,
            0);
  std::map<std::int64_t, std::string> expected = results(expected_file);
  std::string out = scratch.path("out.jsonl");
  std::vector<std::string> args{
      pipeline, "--load",  work_plugin,       "--data", data,           "--out",
      out,      "--quiet", "--max-in-flight", "2",      "--chunk-size", "2"};
  // A worker, then rank 0 itself (which writes the file), then another
  // worker die at their 6th item of a run, each run resuming the last;
  // items take 20 ms, so most of the job is left each time.
  for (const char *rank : {"2", "0", "1"}) {
    Result killed = mpirun(scratch, 3, args,
                           {{"XCS_TEST_KILL_RANK", rank},
                            {"XCS_TEST_KILL_AFTER", "5"},
                            {"XCS_TEST_ITEM_MS", "20"}});
    EXPECT_NE(killed.status, 0);
    EXPECT_THAT(killed.err, HasSubstr("rank " + std::string(rank)))
        << killed.err;
    std::map<std::int64_t, std::string> partial = results(out);
    EXPECT_LT(partial.size(), 300u) << "the job ended before the kill";
    for (const auto &[index, line] : partial)
      EXPECT_EQ(line, expected[index]);
    if (args.back() != "--resume")
      args.push_back("--resume");
  }
  // And a torn last line, as a crash in the middle of a write leaves one:
  // half of the line of an item not in the file yet.
  std::map<std::int64_t, std::string> partial = results(out);
  auto missing = std::find_if(expected.begin(), expected.end(),
                              [&](auto &e) { return !partial.count(e.first); });
  ASSERT_NE(missing, expected.end());
  std::ofstream(out, std::ios::app)
      << missing->second.substr(0, missing->second.size() / 2);
  args.erase(std::find(args.begin(), args.end(), "--quiet"));
  Result resumed = mpirun(scratch, 3, args);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_THAT(resumed.err, HasSubstr("repaired the torn last line"));
  EXPECT_THAT(resumed.out, HasSubstr("done before (resumed)"));
  EXPECT_EQ(results(out), expected);
}

TEST(MpiRun, TheJobSharesOneSetOfEndpointBudgets) {
  REQUIRE_MPIRUN();
  using testing::ChatServer;
  ChatServer::Options options;
  options.latency = std::chrono::milliseconds(20);
  ChatServer server(options);
  // Every 9th request fails with a 500: its retry takes a permit too.
  std::atomic<int> failed{0};
  server.set_handler(
      [&failed](const testing::SeenRequest &request, std::size_t index) {
        if (index % 9 == 4) {
          ++failed;
          return testing::Reply::error(500, "The server had an error");
        }
        return ChatServer::echo(request);
      });
  Scratch scratch;
  std::string pipeline = scratch.path("chat.xcs");
  // At most 3 in flight and 1800 requests a minute (30 a second, bursts
  // of at most 30) for the whole job, whatever the ranks.
  write_file(pipeline, "operator @m \"chat_model\" {\"base_url\": \"" +
                           server.base_url() +
                           "\", \"model\": \"m\", \"max_concurrency\": 3, "
                           "\"requests_per_minute\": 1800, \"max_retries\": 8, "
                           "\"retry_base_ms\": 1, \"retry_max_ms\": 4}\n"
                           "graph @chat(prompt) -> (response) {\n"
                           "  %p = input prompt\n"
                           "  %a = call @m(prompt: %p)\n"
                           "  %r = get %a response\n"
                           "  output response: %r\n"
                           "}\n");
  std::string data = scratch.path("prompts.jsonl");
  std::string text;
  for (int i = 0; i < 60; ++i)
    text += "{\"prompt\": \"p" + std::to_string(i) + "\"}\n";
  write_file(data, text);
  std::string out = scratch.path("out.jsonl");
  Result r = mpirun(scratch, 4,
                    {pipeline, "--data", data, "--out", out, "--max-in-flight",
                     "8", "--chunk-size", "2", "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::map<std::int64_t, std::string> lines = results(out);
  ASSERT_EQ(lines.size(), 60u);
  for (const auto &[index, line] : lines)
    EXPECT_THAT(line, HasSubstr("echo: p" + std::to_string(index)));
  EXPECT_LE(server.peak_concurrency(), 3);
  // Every window of the requests' arrivals holds at most the burst plus
  // the rate over its length (and one for the clocks' rounding).
  std::vector<testing::SeenRequest> seen = server.requests();
  ASSERT_GT(failed.load(), 0);
  ASSERT_EQ(seen.size(), 60u + static_cast<std::size_t>(failed.load()));
  // The job's retries and tokens are every rank's.
  EXPECT_THAT(r.out,
              HasSubstr("retries " + std::to_string(failed.load()) + "\n"))
      << r.out;
  EXPECT_THAT(r.out,
              HasSubstr("60 calls, 0 failed, " + std::to_string(failed.load()) +
                        " retries, tokens 60 prompt + 180 completion"))
      << r.out;
  for (std::size_t i = 0; i < seen.size(); ++i)
    for (std::size_t j = i; j < seen.size(); ++j) {
      double seconds =
          std::chrono::duration<double>(seen[j].arrived - seen[i].arrived)
              .count();
      EXPECT_LE(static_cast<double>(j - i + 1), 30 + 30 * seconds + 1)
          << "requests " << i << " to " << j << " within " << seconds << " s";
    }
}

TEST(MpiRun, AMalformedPipelineFailsWithOneMessage) {
  REQUIRE_MPIRUN();
  Scratch scratch;
  std::string pipeline = scratch.path("bad.xcs");
  write_file(pipeline, "operator @w \"work\" {\"iterations\": 1}\n"
                       "graph @g(x) -> (y) {\n"
                       "  %r = call @w(x: %x)\n"
                       "  output y: %r\n"
                       "}\n");
  std::string data = scratch.path("numbers.jsonl");
  write_numbers(data, 10);
  std::string out = scratch.path("out.jsonl");
  Result r =
      mpirun(scratch, 4,
             {pipeline, "--load", work_plugin, "--data", data, "--out", out});
  EXPECT_NE(r.status, 0);
  std::string one_line = "xcs-run: error: " + pipeline + ":3:";
  std::size_t first = r.err.find(one_line);
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("xcs-run: error:", first + 1), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(out) && !read_file(out).empty());
}

TEST(MpiRun, ARankThatCannotBindAnOperatorIsNamed) {
  REQUIRE_MPIRUN();
  Scratch scratch;
  std::string data = scratch.path("numbers.jsonl");
  write_numbers(data, 10);
  std::string out = scratch.path("out.jsonl");
  Result r = mpirun(scratch, 4,
                    {inputs + "/work.xcs", "--load", work_plugin, "--data",
                     data, "--out", out},
                    {{"XCS_TEST_BIND_FAIL_RANK", "2"}});
  EXPECT_NE(r.status, 0);
  std::size_t first = r.err.find("xcs-run: error: on rank 2: ");
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_THAT(r.err, HasSubstr("@w"));
  EXPECT_THAT(r.err, HasSubstr("this rank has no license for 'work'"));
  EXPECT_EQ(r.err.find("xcs-run: error:", first + 1), std::string::npos)
      << r.err;
  EXPECT_THAT(read_file(out), Not(HasSubstr("index")));
}

TEST(MpiRun, TheTimelineHasAProcessTrackPerRank) {
  REQUIRE_MPIRUN();
  Scratch scratch;
  std::string data = scratch.path("items.jsonl");
  write_queries(data, 40);
  std::string out = scratch.path("out.jsonl");
  std::string timeline = scratch.path("run.json");
  Result r = mpirun(scratch, 3,
                    {batch_inputs + "/pair.xcs", "--data", data, "--out", out,
                     "--max-in-flight", "2", "--chunk-size", "1", "--timeline",
                     timeline, "--quiet"});
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<int> counts = items_per_rank(r.out);
  ASSERT_EQ(counts.size(), 3u);
  Value trace = parse_json(read_file(timeline), timeline);
  std::map<std::int64_t, int> item_spans;
  std::map<std::int64_t, std::string> names;
  for (const Value &event : trace.as_record().at("traceEvents").as_list()) {
    const Record &e = event.as_record();
    std::int64_t pid = e.at("pid").as_int();
    if (e.at("ph").as_string() == "M" &&
        e.at("name").as_string() == "process_name")
      names[pid] = e.at("args").as_record().at("name").as_string();
    const Value *category = e.find("cat");
    if (category && category->as_string() == "item" &&
        e.at("ph").as_string() == "b")
      ++item_spans[pid];
  }
  for (std::int64_t rank = 0; rank < 3; ++rank) {
    EXPECT_EQ(names[rank], "rank " + std::to_string(rank));
    EXPECT_EQ(item_spans[rank], counts[static_cast<std::size_t>(rank)])
        << "rank " << rank;
  }
}

} // namespace
} // namespace xcs
