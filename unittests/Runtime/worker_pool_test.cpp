//===- worker_pool_test.cpp - Threads that help runs ----------------------===//

#include "Runtime/worker_pool.h"

#include "rendezvous.h"

#include <gtest/gtest.h>

#include <atomic>

namespace xcs::runtime {
namespace {

/// A job whose helpers all meet on a barrier with the test, then wait
/// until the test releases them. Declared before the pool, so that the
/// pool's threads are joined before the job goes.
class BlockingJob final : public Helpable {
public:
  explicit BlockingJob(int helpers) : arrived_(helpers + 1) {}

  void help() noexcept override {
    ++helped_;
    arrived_.arrive_and_wait();
    released_.wait();
  }
  /// Waits until every expected helper is inside help().
  bool all_arrived() { return arrived_.arrive_and_wait(); }
  void release() { released_.set(); }
  int helped() const { return helped_.load(); }

private:
  test::TimedBarrier arrived_;
  test::Event released_;
  std::atomic<int> helped_{0};
};

TEST(WorkerPoolTest, StartsNoThreadUntilAsked) {
  WorkerPool pool(8);
  EXPECT_EQ(pool.threads(), 0u);
}

TEST(WorkerPoolTest, StartsThreadsUpToTheRequestsLimitAndWithdrawsTheRest) {
  BlockingJob job(2);
  WorkerPool pool(8);
  ASSERT_TRUE(pool.request(job, 5, 2));
  EXPECT_EQ(pool.threads(), 2u);
  ASSERT_TRUE(job.all_arrived());
  EXPECT_EQ(pool.withdraw(job), 3u);
  job.release();
  EXPECT_EQ(job.helped(), 2);
}

TEST(WorkerPoolTest, NeverExceedsItsOwnBound) {
  BlockingJob job(1);
  WorkerPool pool(1);
  ASSERT_TRUE(pool.request(job, 4, 64));
  ASSERT_TRUE(job.all_arrived());
  EXPECT_EQ(pool.threads(), 1u);
  EXPECT_EQ(pool.withdraw(job), 3u);
  job.release();
}

} // namespace
} // namespace xcs::runtime
