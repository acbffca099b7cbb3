//===- budget_server_test.cpp - The job's endpoint budgets ----------------===//
//
// Rank 0's budget server on its own, on made-up times: permits of every
// rank count against one window and one set of buckets, in asking order.
//
//===----------------------------------------------------------------------===//

#include "Distributed/budget_server.h"

#include "xcs/error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace xcs::distributed {
namespace {

using net::AttemptEnd;
using std::chrono::milliseconds;
using ::testing::ElementsAre;

const net::Clock::time_point t0{};

net::EndpointLimits limits(int concurrency, double rpm = 0, double tpm = 0) {
  return net::EndpointLimits{concurrency, rpm, tpm};
}

TEST(BudgetServer, OneWindowForEveryRankInAskingOrder) {
  BudgetServer server;
  server.ask({1, 10}, "e", limits(2), 0, t0);
  server.ask({2, 20}, "e", limits(2), 0, t0);
  server.ask({3, 30}, "e", limits(2), 0, t0);
  server.ask({0, 1}, "e", limits(2), 0, t0);
  EXPECT_THAT(server.grant(t0), ElementsAre(PermitId{1, 10}, PermitId{2, 20}));
  EXPECT_TRUE(server.grant(t0).empty());
  server.release({2, 20}, AttemptEnd::Succeeded, std::nullopt, t0);
  EXPECT_THAT(server.grant(t0), ElementsAre(PermitId{3, 30}));
  server.release({1, 10}, AttemptEnd::Other, std::nullopt, t0);
  EXPECT_THAT(server.grant(t0), ElementsAre(PermitId{0, 1}));
  EXPECT_EQ(server.held(), 2u);
}

TEST(BudgetServer, EndpointsAreApartAndTheStricterLimitHolds) {
  BudgetServer server;
  server.ask({1, 1}, "a", limits(4), 0, t0);
  server.ask({1, 2}, "b", limits(1), 0, t0);
  server.ask({2, 1}, "b", limits(1), 0, t0);
  // Rank 2 asks "a" for at most 1 in flight: "a" keeps 1.
  server.ask({2, 2}, "a", limits(1), 0, t0);
  EXPECT_THAT(server.grant(t0), ElementsAre(PermitId{1, 1}, PermitId{1, 2}));
}

TEST(BudgetServer, RequestsPerMinuteHoldAcrossRanks) {
  BudgetServer server;
  // 60 a minute: one a second, a burst of at most one.
  for (int rank = 1; rank <= 3; ++rank)
    server.ask({rank, 1}, "e", limits(64, 60), 0, t0);
  EXPECT_EQ(server.grant(t0).size(), 1u);
  EXPECT_TRUE(server.grant(t0 + milliseconds(500)).empty());
  EXPECT_EQ(server.grant(t0 + milliseconds(1001)).size(), 1u);
  EXPECT_EQ(server.grant(t0 + milliseconds(2002)).size(), 1u);
}

TEST(BudgetServer, ThrottlingHalvesTheJobsWindow) {
  BudgetServer server;
  for (std::uint64_t permit = 0; permit < 8; ++permit)
    server.ask({1, permit}, "e", limits(4), 0, t0);
  ASSERT_EQ(server.grant(t0).size(), 4u);
  server.release({1, 0}, AttemptEnd::Throttled, std::nullopt,
                 t0 + milliseconds(1));
  // Window 2, three still in flight: nothing more until two end.
  EXPECT_TRUE(server.grant(t0 + milliseconds(1)).empty());
  server.release({1, 1}, AttemptEnd::Other, std::nullopt, t0);
  server.release({1, 2}, AttemptEnd::Other, std::nullopt, t0);
  EXPECT_EQ(server.grant(t0 + milliseconds(2)).size(), 1u);
}

TEST(BudgetServer, TokensAreChargedAtTheGrantAndRefunded) {
  BudgetServer server;
  // 600 tokens a minute: a bucket of 10.
  server.ask({1, 1}, "e", limits(64, 0, 600), 10, t0);
  server.ask({1, 2}, "e", limits(64, 0, 600), 10, t0);
  EXPECT_EQ(server.grant(t0).size(), 1u);
  EXPECT_TRUE(server.grant(t0).empty());
  // It spent 2 of its 10: 8 come back, not enough for another 10.
  server.release({1, 1}, AttemptEnd::Succeeded, 8.0, t0);
  EXPECT_TRUE(server.grant(t0).empty());
  EXPECT_EQ(server.grant(t0 + milliseconds(201)).size(), 1u);
}

TEST(BudgetServer, AReleaseOfAPermitNotHeldIsAnError) {
  BudgetServer server;
  try {
    server.release({3, 7}, AttemptEnd::Succeeded, std::nullopt, t0);
    FAIL() << "no error";
  } catch (const Error &error) {
    EXPECT_STREQ(error.what(),
                 "rank 3 gave back permit 7, which it does not hold");
  }
}

} // namespace
} // namespace xcs::distributed
