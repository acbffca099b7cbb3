//===- xcs_run_test.cpp - The xcs-run tool --------------------------------===//
//
// In-process through the driver for what needs no signal, and the real tool
// in a child process for SIGKILL and Ctrl-C. Results are compared with an
// uninterrupted run's (and that run with eager calls): every index exactly
// once, each with the same outcome.
//
//===----------------------------------------------------------------------===//

#include "Driver/xcs_run.h"
#include "chat_server.h"
#include "xcs_run_support.h"

#include "xcs/error.h"
#include "xcs/json.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace xcs {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string inputs = XCS_BATCH_TEST_INPUTS;

/// A fresh directory for one test's files.
/// A scratch directory of this file's tests.
class Scratch : public test::Scratch {
public:
  Scratch() : test::Scratch("xcs-run-test") {}
};

using test::read_file;
using test::write_file;

/// Writes \p n queries, every 10th one failing ("boom").
void write_queries(const std::string &path, int n) {
  std::string text;
  for (int i = 0; i < n; ++i)
    text += std::string("{\"query\": \"") + (i % 10 == 7 ? "boom " : "q") +
            std::to_string(i) + "\"}\n";
  write_file(path, text);
}

using Result = test::ToolResult;
using test::results;
using test::run_tool;

TEST(XcsRun, WritesEveryItemOnceWithTheEagerOutcome) {
  Scratch scratch;
  // Every 10th query is a number: the example's validation refuses it.
  std::vector<std::string> records;
  std::string text;
  for (int i = 0; i < 50; ++i) {
    records.push_back(i % 10 == 7 ? "{\"query\": " + std::to_string(i) + "}"
                                  : "{\"query\": \"q" + std::to_string(i) +
                                        "\"}");
    text += records.back() + "\n";
  }
  write_file(scratch.path("items.jsonl"), text);
  Result r = run_tool({"--example", "ensemble-judge", "--data",
                       scratch.path("items.jsonl"), "--out",
                       scratch.path("out.jsonl"), "--max-in-flight", "8"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("items: 50 ended (45 succeeded, 5 failed)"));
  EXPECT_THAT(r.out, HasSubstr("item latency p50 "));
  std::map<std::int64_t, std::string> lines = results(scratch.path("out.jsonl"));
  ASSERT_EQ(lines.size(), 50u);
  ops::Example example = ops::example("ensemble-judge");
  for (const auto &[index, line] : lines) {
    std::string prefix = "{\"index\": " + std::to_string(index) + ", ";
    try {
      Record eager = (*example.op)(parse_json_record(records[index]));
      EXPECT_EQ(line, prefix + "\"output\": " + to_json(eager) + "}");
    } catch (const InputError &error) {
      Record described{{"type", "InputError"}, {"message", error.what()}};
      EXPECT_EQ(line, prefix + "\"error\": " + to_json(described) + "}");
    }
  }
}

TEST(XcsRun, AMalformedLineIsAnErrorLineNamingItAndTheRunGoesOn) {
  Scratch scratch;
  std::string data = scratch.path("items.jsonl");
  write_file(data, "{\"query\": \"a\"}\nnot json\n\n[1, 2]\n{\"query\": 5}\n"
                   "{\"query\": \"b\"}\n");
  Result r = run_tool({"--example", "ensemble-judge", "--data", data, "--out",
                       scratch.path("out.jsonl")});
  ASSERT_EQ(r.status, 0) << r.err;
  std::map<std::int64_t, std::string> lines = results(scratch.path("out.jsonl"));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_THAT(lines[0], HasSubstr("\"output\""));
  EXPECT_THAT(lines[1], HasSubstr(data + ":2:2: invalid JSON"));
  EXPECT_THAT(lines[2], HasSubstr(data + ":3: an empty line"));
  EXPECT_THAT(lines[3], HasSubstr(data + ":4: expected a JSON object"));
  EXPECT_THAT(lines[4], HasSubstr("\"type\":\"InputError\""));
  EXPECT_THAT(lines[4], HasSubstr("field 'query'"));
  EXPECT_THAT(lines[5], HasSubstr("\"output\""));
}

TEST(XcsRun, ResumeRepairsATornLastLineAndRunsOnlyWhatIsMissing) {
  Scratch scratch;
  std::string data = scratch.path("items.jsonl");
  std::string out = scratch.path("out.jsonl");
  write_queries(data, 30);
  ASSERT_EQ(run_tool({inputs + "/pair.xcs", "--data", data, "--out", out})
                .status,
            0);
  std::map<std::int64_t, std::string> reference = results(out);
  ASSERT_EQ(reference.size(), 30u);
  // Keep items 3, 10 and 20, then a line torn in the middle.
  write_file(out, reference[3] + "\n" + reference[10] + "\n" +
                      reference[20] + "\n" +
                      reference[5].substr(0, reference[5].size() / 2));
  Result r = run_tool({inputs + "/pair.xcs", "--data", data, "--out", out,
                       "--resume"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("repaired the torn last line"));
  EXPECT_THAT(r.out, HasSubstr("items: 27 ended"));
  EXPECT_THAT(r.out, HasSubstr("3 done before (resumed)"));
  EXPECT_EQ(results(out), reference);
}

TEST(XcsRun, ResumeRefusesAFileThatIsNotResults) {
  Scratch scratch;
  std::string data = scratch.path("items.jsonl");
  std::string out = scratch.path("out.jsonl");
  write_queries(data, 3);
  write_file(out, "{\"index\": 0, \"output\": {}}\nhello\n");
  Result r = run_tool({inputs + "/pair.xcs", "--data", data, "--out", out,
                       "--resume"});
  EXPECT_EQ(r.status, 1);
  EXPECT_THAT(r.err, HasSubstr(out + ":2"));
  EXPECT_THAT(r.err, HasSubstr("not a result line"));
}

TEST(XcsRun, FollowsTheCommandLineConventions) {
  Result version = run_tool({"--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_THAT(version.out, StartsWith("xcs-run (XCS) "));
  Result help = run_tool({"-help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_THAT(help.out, HasSubstr("--max-in-flight N"));
  EXPECT_THAT(run_tool({"--resme"}).err,
              HasSubstr("unknown option '--resme' (did you mean '--resume'?)"));
  EXPECT_THAT(run_tool({"--example", "diamond", "--data", "a", "--out", "b",
                        "--out", "c"})
                  .err,
              HasSubstr("option '--out' given more than once"));
  EXPECT_THAT(run_tool({"--example", "diamond", "--data", "a", "--out", "b",
                        "--max-in-flight=0"})
                  .err,
              HasSubstr("'--max-in-flight' needs a whole number"));
  EXPECT_THAT(run_tool({"--example", "diamond", "--data", "a", "--out", "b",
                        "--chunk-size", "0"})
                  .err,
              HasSubstr("option '--chunk-size' needs a whole number from 1 "
                        "to 1000000, got '0'"));
  EXPECT_THAT(help.out, HasSubstr("--chunk-size N"));
  EXPECT_THAT(help.out, HasSubstr("--no-local-items"));
  EXPECT_THAT(run_tool({"--example", "diamond", "--out", "b"}).err,
              HasSubstr("give --data FILE"));
  EXPECT_THAT(run_tool({"--example", "diamond", "x.xcs", "--data", "a",
                        "--out", "b"})
                  .err,
              HasSubstr("not both"));
  Result missing = run_tool(
      {"--example", "diamond", "--data", "/no/such/items.jsonl", "--out", "b"});
  EXPECT_EQ(missing.status, 1);
  EXPECT_THAT(missing.err,
              HasSubstr("xcs-run: error: cannot read the data file "
                        "'/no/such/items.jsonl'"));
}

TEST(XcsRun, AChatPipelineLosesNoItemUnder429BurstsAnd500s) {
  using xcs::testing::ChatServer;
  using xcs::testing::Reply;
  ChatServer server;
  server.set_handler([](const xcs::testing::SeenRequest &request,
                        std::size_t index) {
    if (index >= 20 && index < 50) {
      Reply reply = Reply::error(429, "slow down");
      reply.headers.emplace_back("Retry-After", "0");
      return reply;
    }
    if (index % 7 == 3)
      return Reply::error(500, "The server had an error");
    return ChatServer::echo(request);
  });
  Scratch scratch;
  std::string pipeline = scratch.path("chat.xcs");
  std::string model = "{\"base_url\": \"" + server.base_url() +
                      "\", \"model\": \"m\", \"max_retries\": 8, "
                      "\"retry_base_ms\": 1, \"retry_max_ms\": 4";
  write_file(pipeline,
             "operator @m1 \"chat_model\" " + model + ", \"name\": \"A\"}\n"
             "operator @m2 \"chat_model\" " + model + ", \"name\": \"B\"}\n"
             "operator @judge \"judge\"\n"
             "graph @chat(query) -> (answer) {\n"
             "  %q = input query\n"
             "  %a = call @m1(prompt: %q)\n"
             "  %b = call @m2(prompt: %q)\n"
             "  %ra = get %a response\n"
             "  %rb = get %b response\n"
             "  %all = list [%ra, %rb]\n"
             "  %v = call @judge(query: %q, responses: %all)\n"
             "  %answer = get %v answer\n"
             "  output answer: %answer\n"
             "}\n");
  std::string data = scratch.path("items.jsonl");
  std::string out = scratch.path("out.jsonl");
  write_queries(data, 80);
  Result r = run_tool({pipeline, "--data", data, "--out", out,
                       "--max-in-flight", "16"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr(server.base_url() + "/chat/completions m"));
  std::map<std::int64_t, std::string> lines = results(out);
  ASSERT_EQ(lines.size(), 80u);
  for (const auto &[index, line] : lines) {
    std::string query = (index % 10 == 7 ? "boom " : "q") + std::to_string(index);
    if (line.find("\"output\"") != std::string::npos)
      EXPECT_THAT(line, HasSubstr("echo: " + query)) << line;
    else
      EXPECT_THAT(line, HasSubstr("chat_model '")) << line;
  }
  // The faults were retried, and the summary says so.
  EXPECT_THAT(r.out, HasSubstr("retries "));
  EXPECT_THAT(r.out, ::testing::Not(HasSubstr("retries 0\n")));
}

// --- The tool in a child process -------------------------------------------

/// The tool running in a child process, its stderr on a pipe.
class Child {
public:
  explicit Child(const std::vector<std::string> &args) {
    int pipe_fds[2];
    EXPECT_EQ(::pipe(pipe_fds), 0);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(pipe_fds[1], STDERR_FILENO);
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDOUT_FILENO);
      ::close(pipe_fds[0]);
      std::vector<std::string> all{XCS_RUN_TOOL};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char *> argv;
      for (std::string &arg : all)
        argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(pipe_fds[1]);
    err_ = ::fdopen(pipe_fds[0], "r");
  }
  ~Child() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      wait();
    }
    if (err_)
      std::fclose(err_);
  }

  /// Reads stderr until a line containing \p text; false at its end.
  bool wait_for_line(const std::string &text) {
    char line[4096];
    while (std::fgets(line, sizeof line, err_))
      if (std::string(line).find(text) != std::string::npos)
        return true;
    return false;
  }
  void signal(int sig) { ::kill(pid_, sig); }
  /// The exit status, or 128 + the signal that ended it.
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

private:
  pid_t pid_ = -1;
  std::FILE *err_ = nullptr;
  bool waited_ = false;
};

TEST(XcsRun, SigkillAtRandomPointsThenResumeGivesEveryIndexOnce) {
  Scratch scratch;
  std::string data = scratch.path("items.jsonl");
  std::string out = scratch.path("out.jsonl");
  write_queries(data, 300);
  std::vector<std::string> args{inputs + "/pair.xcs", "--data", data, "--out",
                                out, "--max-in-flight", "16", "--quiet"};
  ASSERT_EQ(run_tool(args).status, 0);
  std::map<std::int64_t, std::string> reference = results(out);
  ASSERT_EQ(reference.size(), 300u);
  fs::remove(out);

  args.push_back("--resume");
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> delay_ms(5, 80);
  int kills = 0;
  for (int round = 0; round < 6; ++round) {
    Child child(args);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    child.signal(SIGKILL);
    int status = child.wait();
    kills += status == 128 + SIGKILL;
    // Whatever the kill cut, the complete lines so far are results of
    // distinct items, each the uninterrupted run's.
    std::string text = read_file(out);
    write_file(scratch.path("complete.jsonl"),
               text.substr(0, text.rfind('\n') + 1));
    for (const auto &[index, line] : results(scratch.path("complete.jsonl")))
      EXPECT_EQ(line, reference[index]);
  }
  EXPECT_GT(kills, 0) << "every run ended before its kill";
  Child last(args);
  EXPECT_EQ(last.wait(), 0);
  EXPECT_EQ(results(out), reference);
}

TEST(XcsRun, CtrlCLetsTheItemsInFlightEndAndExits130) {
  Scratch scratch;
  std::string data = scratch.path("items.jsonl");
  std::string out = scratch.path("out.jsonl");
  // 400 items of 100 ms, 4 at a time, would take 10 s: the Ctrl-C comes
  // long before the end even on a loaded machine.
  write_queries(data, 400);
  std::vector<std::string> args{inputs + "/slow.xcs", "--data", data, "--out",
                                out};
  {
    std::vector<std::string> narrow = args;
    narrow.insert(narrow.end(), {"--max-in-flight", "4"});
    Child child(narrow);
    ASSERT_TRUE(child.wait_for_line("xcs-run: running 400 items"));
    child.signal(SIGINT);
    ASSERT_TRUE(child.wait_for_line("interrupted: letting"));
    EXPECT_EQ(child.wait(), 130);
  }
  std::map<std::int64_t, std::string> partial = results(out);
  // The items in flight when Ctrl-C came ended and were kept; no more
  // started.
  EXPECT_LT(partial.size(), 400u);
  args.insert(args.end(), {"--resume", "--quiet", "--max-in-flight", "200"});
  Result resumed = run_tool(args);
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  std::map<std::int64_t, std::string> all = results(out);
  EXPECT_EQ(all.size(), 400u);
  for (const auto &[index, line] : partial)
    EXPECT_EQ(all[index], line);
}

TEST(XcsRun, ASecondCtrlCCancelsTheItemsInFlight) {
  Scratch scratch;
  std::string data = scratch.path("items.jsonl");
  std::string out = scratch.path("out.jsonl");
  write_queries(data, 8);
  // Each item waits a minute: only cancelling ends the run soon.
  Child child({inputs + "/stall.xcs", "--data", data, "--out", out,
               "--max-in-flight", "4"});
  ASSERT_TRUE(child.wait_for_line("xcs-run: running 8 items"));
  child.signal(SIGINT);
  ASSERT_TRUE(child.wait_for_line("interrupted: letting"));
  child.signal(SIGINT);
  EXPECT_EQ(child.wait(), 130);
  // Nothing ended: nothing is written, and a resume runs all of it.
  EXPECT_EQ(read_file(out), "");
}

} // namespace
} // namespace xcs
