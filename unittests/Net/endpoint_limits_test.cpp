//===- endpoint_limits_test.cpp - Token buckets and the AIMD window -------===//

#include "Net/endpoint_limits.h"

#include <gtest/gtest.h>

namespace xcs::net {
namespace {

using std::chrono::milliseconds;

TEST(TokenBucket, HoldsOneSecondOfBudgetAndRefillsAtTheRate) {
  Clock::time_point t0 = Clock::now();
  TokenBucket bucket(600, t0); // 10 a second.
  EXPECT_EQ(bucket.capacity(), 10);
  for (int i = 0; i < 10; ++i)
    EXPECT_TRUE(bucket.try_take(1, t0)) << i;
  EXPECT_FALSE(bucket.try_take(1, t0));
  // One request's worth comes back every 100 ms.
  EXPECT_EQ(bucket.ready_at(1, t0) - t0 >= milliseconds(100), true);
  EXPECT_LE(bucket.ready_at(1, t0) - t0, milliseconds(101));
  EXPECT_FALSE(bucket.try_take(1, t0 + milliseconds(99)));
  EXPECT_TRUE(bucket.try_take(1, t0 + milliseconds(100)));
  // Never above the capacity, however long it rests.
  EXPECT_DOUBLE_EQ(bucket.level(t0 + std::chrono::hours(1)), 10);
}

TEST(TokenBucket, LetsACostAboveTheCapacityThroughWhenFullLeavingDebt) {
  Clock::time_point t0 = Clock::now();
  TokenBucket bucket(60, t0); // 1 a second, capacity 1.
  EXPECT_TRUE(bucket.try_take(5, t0));
  EXPECT_DOUBLE_EQ(bucket.level(t0), -4);
  // The debt is paid before the next call: 5 seconds to be back at 1.
  EXPECT_GE(bucket.ready_at(1, t0) - t0, std::chrono::seconds(5));
}

TEST(TokenBucket, GivesBackWhatACallDidNotSpendUpToTheCapacity) {
  Clock::time_point t0 = Clock::now();
  TokenBucket bucket(6000, t0); // 100 a second.
  EXPECT_TRUE(bucket.try_take(80, t0));
  bucket.give_back(50); // Estimated 80, spent 30.
  EXPECT_DOUBLE_EQ(bucket.level(t0), 70);
  bucket.give_back(1000);
  EXPECT_DOUBLE_EQ(bucket.level(t0), 100);
  bucket.give_back(-150); // Spent more than estimated.
  EXPECT_DOUBLE_EQ(bucket.level(t0), -50);
}

TEST(TokenBucket, ZeroIsUnlimited) {
  Clock::time_point t0 = Clock::now();
  TokenBucket bucket(0, t0);
  EXPECT_TRUE(bucket.unlimited());
  for (int i = 0; i < 1000; ++i)
    EXPECT_TRUE(bucket.try_take(1e9, t0));
  EXPECT_EQ(bucket.ready_at(1e9, t0), t0);
}

TEST(ConcurrencyWindow, HalvesOnThrottlingOncePerRoundTripAndGrowsBack) {
  Clock::time_point t0 = Clock::now();
  ConcurrencyWindow window(16);
  EXPECT_EQ(window.allowed(), 16);
  window.on_throttled(t0, t0 + milliseconds(10));
  EXPECT_EQ(window.allowed(), 8);
  // A 429 for a request sent before the decrease says nothing new.
  window.on_throttled(t0 + milliseconds(5), t0 + milliseconds(11));
  EXPECT_EQ(window.allowed(), 8);
  // One sent after it does.
  window.on_throttled(t0 + milliseconds(12), t0 + milliseconds(20));
  EXPECT_EQ(window.allowed(), 4);
  // Additive increase: about one per window of successes.
  for (int i = 0; i < 4; ++i)
    window.on_success();
  EXPECT_EQ(window.allowed(), 4); // 4 + 4 * (1/4..1/5) < 5 by rounding.
  window.on_success();
  EXPECT_EQ(window.allowed(), 5);
  for (int i = 0; i < 1000; ++i)
    window.on_success();
  EXPECT_EQ(window.allowed(), 16); // Never above the maximum.
}

TEST(ConcurrencyWindow, NeverBelowOneAndTightensToTheStricterMaximum) {
  Clock::time_point t = Clock::now();
  ConcurrencyWindow window(2);
  for (int i = 0; i < 5; ++i) {
    t += milliseconds(1);
    window.on_throttled(t, t);
  }
  EXPECT_EQ(window.allowed(), 1);
  ConcurrencyWindow shared(64);
  shared.tighten(8);
  EXPECT_EQ(shared.max(), 8);
  EXPECT_EQ(shared.allowed(), 8);
  shared.tighten(32); // Never raised by a laxer operator.
  EXPECT_EQ(shared.max(), 8);
}

} // namespace
} // namespace xcs::net
