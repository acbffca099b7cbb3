//===- messages_test.cpp - What ranks tell each other ---------------------===//
//
// Every message survives its encoding unchanged, and a message cut short
// is an error naming what was missing, not a read past its end.
//
//===----------------------------------------------------------------------===//

#include "Distributed/messages.h"
#include "Distributed/rank_broker.h"

#include "xcs/error.h"

#include <gtest/gtest.h>

namespace xcs::distributed {
namespace {

TEST(Messages, AChunkKeepsItsLinesAndIndices) {
  std::vector<JsonlLine> lines{{3, "{\"x\": 1}"}, {7, ""}, {8, "not json\t"}};
  std::vector<JsonlLine> back = decode_chunk(encode_chunk(lines));
  ASSERT_EQ(back.size(), 3u);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    EXPECT_EQ(back[i].index, lines[i].index);
    EXPECT_EQ(back[i].text, lines[i].text);
  }
  EXPECT_TRUE(decode_chunk(encode_chunk({})).empty());
}

TEST(Messages, AnOutcomeBatchKeepsItsLinesAndUsage) {
  OutcomeBatch batch{4,
                     50,
                     70,
                     {{12, false, 1500, "{\"index\": 12, \"output\": {}}"},
                      {13, true, 99, "{\"index\": 13, \"error\": {}}"}}};
  OutcomeBatch back = OutcomeBatch::decode(batch.encode());
  EXPECT_EQ(back.retries, 4u);
  EXPECT_EQ(back.prompt_tokens, 50u);
  EXPECT_EQ(back.completion_tokens, 70u);
  ASSERT_EQ(back.outcomes.size(), 2u);
  EXPECT_EQ(back.outcomes[1].index, 13u);
  EXPECT_TRUE(back.outcomes[1].failed);
  EXPECT_EQ(back.outcomes[1].latency_ns, 99);
  EXPECT_EQ(back.outcomes[0].line, batch.outcomes[0].line);
}

TEST(Messages, AReportKeepsUsageNodeTimesAndTimeline) {
  WorkerReport report;
  report.endpoints.push_back(
      {"http://h/v1/chat/completions m", 9, 1, 2, 30, 40});
  report.node_times.push_back(Record{{"node", 2},
                                     {"operator", "Judge"},
                                     {"calls", 9},
                                     {"total_ns", 900},
                                     {"max_ns", 200}});
  report.timeline = "{\"traceEvents\": []}";
  WorkerReport back = WorkerReport::decode(report.encode());
  ASSERT_EQ(back.endpoints.size(), 1u);
  EXPECT_EQ(back.endpoints[0].endpoint, report.endpoints[0].endpoint);
  EXPECT_EQ(back.endpoints[0].completion_tokens, 40u);
  EXPECT_EQ(back.node_times, report.node_times);
  EXPECT_EQ(back.timeline, report.timeline);
}

TEST(Messages, PermitTrafficKeepsAsksAndReleases) {
  PermitTraffic traffic;
  traffic.asks.push_back({5, "e", {3, 600, 0}, 12.5});
  traffic.releases.push_back({4, net::AttemptEnd::Throttled, std::nullopt});
  traffic.releases.push_back({6, net::AttemptEnd::Succeeded, 2.0});
  PermitTraffic back = PermitTraffic::decode(traffic.encode());
  ASSERT_EQ(back.asks.size(), 1u);
  EXPECT_EQ(back.asks[0].permit, 5u);
  EXPECT_EQ(back.asks[0].endpoint, "e");
  EXPECT_EQ(back.asks[0].limits.max_concurrency, 3);
  EXPECT_EQ(back.asks[0].limits.requests_per_minute, 600);
  EXPECT_EQ(back.asks[0].tokens, 12.5);
  ASSERT_EQ(back.releases.size(), 2u);
  EXPECT_EQ(back.releases[0].end, net::AttemptEnd::Throttled);
  EXPECT_FALSE(back.releases[0].refund);
  EXPECT_EQ(back.releases[1].refund, 2.0);
}

TEST(Messages, AMessageCutShortIsAnError) {
  std::vector<char> bytes = encode_chunk({{1, "{\"x\": 1}"}});
  bytes.resize(bytes.size() - 3);
  try {
    decode_chunk(bytes);
    FAIL() << "no error";
  } catch (const Error &error) {
    EXPECT_STREQ(error.what(), "a message between ranks ended early (5 bytes "
                               "left, 8 needed)");
  }
}

TEST(Messages, UsageAndNodeTimesAddUpAcrossRanks) {
  std::vector<ops::EndpointUsage> usage{{"a", 1, 0, 1, 10, 20}};
  add_usage(usage, {{"a", 2, 1, 0, 5, 5}, {"b", 1, 0, 0, 1, 1}});
  ASSERT_EQ(usage.size(), 2u);
  EXPECT_EQ(usage[0].calls, 3u);
  EXPECT_EQ(usage[0].failures, 1u);
  EXPECT_EQ(usage[0].prompt_tokens, 15u);
  EXPECT_EQ(usage[1].endpoint, "b");

  auto node = [](std::int64_t id, std::int64_t calls, std::int64_t max) {
    return Record{{"node", id},
                  {"operator", "Op"},
                  {"calls", calls},
                  {"total_ns", calls * 10},
                  {"max_ns", max}};
  };
  std::vector<Record> times{node(3, 1, 50)};
  add_node_times(times, {node(3, 2, 40), node(1, 1, 5)});
  ASSERT_EQ(times.size(), 2u);
  EXPECT_EQ(times[0], node(1, 1, 5));
  EXPECT_EQ(times[1], (Record{{"node", 3},
                              {"operator", "Op"},
                              {"calls", 3},
                              {"total_ns", 30},
                              {"max_ns", 50}}));
}

} // namespace
} // namespace xcs::distributed
