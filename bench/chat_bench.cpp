//===- chat_bench.cpp - chat_model against the floor of libcurl -----------===//
//
// Against the loopback chat server (tools/xcs-chat-server, one thread, in
// this process) answering after 200 ms, W = 1,000 concurrent chat calls:
//  - BM_Chat/xcs_jit/1000: an ensemble of 1,000 ops::chat_model members
//    plus a judge, as one cached jit call (structural plan);
//  - BM_Chat/bare_curl/1000: the same 1,000 requests from a bare libcurl
//    multi loop on the benchmark's thread: the floor any libcurl client
//    reaches on this machine.
// Both run one warm-up round first, so their connections are open. The
// ratio xcs_jit / bare_curl (target <= 1.15) is printed to stderr after
// the run. Counters, per iteration:
//  - efficiency: latency / wall;
//  - threads: the most OS threads the process had (the server's included);
//  - client_cpu_us_per_request: process CPU minus the server thread's,
//    over W;
//  - server_requests_per_s: what the server sustained, W / wall.
//
//===----------------------------------------------------------------------===//

#include "chat_server.h"
#include "process_sampler.h"
#include "ratio_report.h"
#include "xcs/chat_model.h"
#include "xcs/jit.h"
#include "xcs/ops.h"

#include <benchmark/benchmark.h>
#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <time.h>

namespace {

using namespace xcs;
using Clock = std::chrono::steady_clock;
constexpr int width = 1000;
constexpr std::chrono::milliseconds latency{200};

testing::ChatServer &server() {
  static testing::ChatServer *server = [] {
    testing::ChatServer::Options options;
    options.latency = latency;
    options.record = false;
    return new testing::ChatServer(options);
  }();
  return *server;
}

double process_cpu_seconds() {
  timespec used{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &used);
  return static_cast<double>(used.tv_sec) + used.tv_nsec * 1e-9;
}

/// Runs \p round (one batch of W calls) once to warm up, then timed.
template <typename Round> void measure(benchmark::State &state, Round round) {
  round();
  bench::ProcessSampler sampler;
  double wall_total = 0, client_cpu_total = 0;
  for (auto _ : state) {
    double cpu_before = process_cpu_seconds() - server().cpu_seconds();
    Clock::time_point start = Clock::now();
    round();
    double wall = std::chrono::duration<double>(Clock::now() - start).count();
    client_cpu_total +=
        process_cpu_seconds() - server().cpu_seconds() - cpu_before;
    state.SetIterationTime(wall);
    wall_total += wall;
  }
  double iterations = static_cast<double>(state.iterations());
  double wall = wall_total / iterations;
  state.counters["efficiency"] =
      std::chrono::duration<double>(latency).count() / wall;
  state.counters["threads"] = static_cast<double>(sampler.peak_threads());
  state.counters["client_cpu_us_per_request"] =
      client_cpu_total / iterations / width * 1e6;
  state.counters["server_requests_per_s"] = width / wall;
}

const char *request_body =
    R"({"messages":[{"content":"What is the capital of France?","role":)"
    R"("user"}],"model":"bench"})";

/// One multi handle, W easy handles kept across rounds (as a hand-written
/// client would), the same headers chat_model sends.
void BM_BareCurl(benchmark::State &state) {
  std::string url = server().base_url() + "/chat/completions";
  CURLM *multi = curl_multi_init();
  curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, 4096L);
  curl_slist *headers = nullptr;
  for (const char *header : {"Expect:", "Content-Type: application/json",
                             "Accept: application/json"})
    headers = curl_slist_append(headers, header);
  std::vector<CURL *> easy(width);
  std::vector<std::string> bodies(width);
  auto write =
      +[](char *data, std::size_t size, std::size_t count, void *user) {
        static_cast<std::string *>(user)->append(data, size * count);
        return size * count;
      };
  for (int i = 0; i < width; ++i) {
    easy[i] = curl_easy_init();
    curl_easy_setopt(easy[i], CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy[i], CURLOPT_POSTFIELDS, request_body);
    curl_easy_setopt(easy[i], CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(easy[i], CURLOPT_WRITEFUNCTION, write);
    curl_easy_setopt(easy[i], CURLOPT_WRITEDATA, &bodies[i]);
    curl_easy_setopt(easy[i], CURLOPT_NOSIGNAL, 1L);
  }
  auto round = [&] {
    for (int i = 0; i < width; ++i) {
      bodies[i].clear();
      curl_multi_add_handle(multi, easy[i]);
    }
    int running = width, done = 0;
    while (done < width) {
      curl_multi_perform(multi, &running);
      int left = 0;
      while (CURLMsg *message = curl_multi_info_read(multi, &left))
        if (message->msg == CURLMSG_DONE) {
          curl_multi_remove_handle(multi, message->easy_handle);
          ++done;
        }
      if (done < width)
        curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
  };
  measure(state, round);
  for (CURL *handle : easy)
    curl_easy_cleanup(handle);
  curl_slist_free_all(headers);
  curl_multi_cleanup(multi);
}

void BM_XcsJit(benchmark::State &state) {
  std::vector<OperatorPtr> members;
  for (int i = 0; i < width; ++i) {
    ops::ChatModelOptions options;
    options.name = "M" + std::to_string(i);
    options.base_url = server().base_url();
    options.model = "bench";
    options.max_concurrency = width;
    members.push_back(ops::chat_model(std::move(options)));
  }
  OperatorPtr op = jit(ops::ensemble_judge(std::move(members)),
                       {.strategy = Strategy::Structural});
  Record input{{"query", "What is the capital of France?"}};
  measure(state, [&] { benchmark::DoNotOptimize((*op)(input)); });
}

xcs::bench::Summary summary() {
  benchmark::RegisterBenchmark("BM_Chat/bare_curl/1000", BM_BareCurl)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(2.0);
  benchmark::RegisterBenchmark("BM_Chat/xcs_jit/1000", BM_XcsJit)
      ->UseManualTime()
      ->Unit(benchmark::kMillisecond)
      ->MinTime(2.0);
  return {{xcs::bench::Ratio{"BM_Chat/xcs_jit/1000", "BM_Chat/bare_curl/1000",
                             1.15}},
          {}};
}

} // namespace

int main(int argc, char **argv) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  return xcs::bench::run_with_ratios(argc, argv, summary);
}
