//===- batch_chat_test.cpp - A batch against a faulty chat server ---------===//
//
// The runner against the project's loopback chat server (started here, on
// 127.0.0.1) while it answers bursts of 429 and some 500s: every item ends
// exactly once, each success is its own item's answer, and the retries the
// endpoint made show in the progress.
//
//===----------------------------------------------------------------------===//

#include "batch_test_support.h"
#include "chat_server.h"

#include "xcs/chat_model.h"
#include "xcs/jit.h"
#include "xcs/ops.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace xcs {
namespace {

using test::VectorSource;
using ::testing::HasSubstr;
using xcs::testing::ChatServer;
using xcs::testing::Reply;
using xcs::testing::SeenRequest;

/// Requests 30 to 59 get 429 (a burst), every 9th other one 500.
Reply faulty(const SeenRequest &request, std::size_t index) {
  if (index >= 30 && index < 60) {
    Reply reply = Reply::error(429, "slow down");
    reply.headers.emplace_back("Retry-After", "0");
    return reply;
  }
  if (index % 9 == 4)
    return Reply::error(500, "The server had an error");
  return ChatServer::echo(request);
}

ops::ChatModelOptions model_options(const ChatServer &server,
                                    std::string model) {
  ops::ChatModelOptions o;
  o.name = "Flaky";
  o.base_url = server.base_url();
  o.model = std::move(model);
  o.max_retries = 6;
  o.retry_base = std::chrono::milliseconds(1);
  o.retry_max = std::chrono::milliseconds(5);
  o.max_concurrency = 16;
  return o;
}

std::vector<BatchItem> prompts(std::uint64_t n) {
  std::vector<BatchItem> items;
  for (std::uint64_t i = 0; i < n; ++i)
    items.push_back(
        {i, Record{{"prompt", "item " + std::to_string(i)}}, nullptr});
  return items;
}

/// Checks that \p outcomes hold each of \p n items once, and that each
/// success answers its own prompt. Returns the failures.
std::uint64_t check_each_once(const std::vector<BatchOutcome> &outcomes,
                              std::uint64_t n) {
  EXPECT_EQ(outcomes.size(), n);
  std::set<std::uint64_t> seen;
  std::uint64_t failures = 0;
  for (const BatchOutcome &outcome : outcomes) {
    EXPECT_TRUE(seen.insert(outcome.index).second)
        << "item " << outcome.index << " delivered twice";
    if (outcome.error) {
      ++failures;
      EXPECT_THROW(std::rethrow_exception(outcome.error), ops::ChatModelError);
      continue;
    }
    EXPECT_EQ(outcome.output->at("response").as_string(),
              "echo: item " + std::to_string(outcome.index));
  }
  EXPECT_EQ(seen.size(), n);
  return failures;
}

TEST(BatchChat, NoItemLostOrDuplicatedUnder429BurstsAnd500s) {
  ChatServer server;
  server.set_handler(faulty);
  auto model = ops::chat_model(model_options(server, "burst"));
  VectorSource source(prompts(300));
  BatchRunner runner(model, test::in_flight(64));
  std::vector<BatchOutcome> outcomes;
  BatchSummary summary = runner.run(
      source, [&](BatchOutcome o) { outcomes.push_back(std::move(o)); });
  std::uint64_t failures = check_each_once(outcomes, 300);
  EXPECT_EQ(summary.progress.failed, failures);
  // Every fault was retried: 30 429s and the 500s.
  EXPECT_GE(summary.progress.retries, 30u);
  ASSERT_EQ(summary.endpoints.size(), 1u);
  EXPECT_THAT(summary.endpoints[0].endpoint, HasSubstr(server.base_url()));
  EXPECT_EQ(summary.endpoints[0].calls, 300u);
  EXPECT_EQ(summary.endpoints[0].retries, summary.progress.retries);
  // The server's echo reports its usage on every success.
  EXPECT_GE(summary.progress.completion_tokens, 300 - failures);
  EXPECT_EQ(summary.progress.completion_tokens,
            summary.endpoints[0].completion_tokens);
  EXPECT_EQ(summary.progress.prompt_tokens, summary.endpoints[0].prompt_tokens);
}

TEST(BatchChat, AJitPipelineOfChatModelsLosesNothingEither) {
  ChatServer server;
  server.set_handler(faulty);
  auto a = ops::chat_model(model_options(server, "a"));
  auto b = ops::chat_model(model_options(server, "b"));
  OperatorPtr pipeline = jit(ops::ensemble_judge({a, b}));
  std::vector<BatchItem> items;
  for (std::uint64_t i = 0; i < 60; ++i)
    items.push_back({i, Record{{"query", "q" + std::to_string(i)}}, nullptr});
  VectorSource source(items);
  BatchRunner runner(pipeline, test::in_flight(16));
  std::set<std::uint64_t> seen;
  runner.run(source, [&](BatchOutcome o) {
    EXPECT_TRUE(seen.insert(o.index).second);
    if (o.output) {
      EXPECT_THAT(std::string(o.output->at("answer").as_string()),
                  HasSubstr("q" + std::to_string(o.index)));
    }
  });
  EXPECT_EQ(seen.size(), items.size());
}

} // namespace
} // namespace xcs
