//===- budget_broker_test.cpp - Budgets held outside the I/O thread -------===//
//
// The HTTP client with a BudgetBroker installed, against the loopback
// server: no attempt starts before its permit, each permit comes back once
// with how its attempt ended, and a permit granted to an exchange cancelled
// while it waited goes back unused.
//
//===----------------------------------------------------------------------===//

#include "Net/budget_broker.h"
#include "Net/http_client.h"
#include "chat_server.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace xcs::net {
namespace {

using testing::ChatServer;
using testing::Reply;
using namespace std::chrono_literals;

/// A broker that grants only when the test says so, and records the rest.
class HeldBroker final : public BudgetBroker {
public:
  struct Release {
    std::uint64_t permit;
    AttemptEnd end;
    std::optional<double> refund;
  };

  void acquire(std::uint64_t permit, const std::string &endpoint,
               const EndpointLimits &, double tokens,
               std::function<void()> granted) override {
    std::lock_guard lock(mutex_);
    asks_.push_back({permit, std::move(granted)});
    endpoint_ = endpoint;
    tokens_ = tokens;
    changed_.notify_all();
  }
  void release(std::uint64_t permit, AttemptEnd end,
               std::optional<double> refund) override {
    std::lock_guard lock(mutex_);
    releases_.push_back({permit, end, refund});
    changed_.notify_all();
  }

  /// Waits until \p n asks came, then grants the oldest one not granted.
  std::uint64_t grant_next(std::size_t n) {
    std::function<void()> granted;
    std::uint64_t permit;
    {
      std::unique_lock lock(mutex_);
      EXPECT_TRUE(changed_.wait_for(lock, 10s, [&] {
        return asks_.size() >= n && granted_ < asks_.size();
      }));
      permit = asks_[granted_].permit;
      granted = std::move(asks_[granted_].granted);
      ++granted_;
    }
    granted();
    return permit;
  }
  std::vector<Release> releases(std::size_t n) {
    std::unique_lock lock(mutex_);
    EXPECT_TRUE(
        changed_.wait_for(lock, 10s, [&] { return releases_.size() >= n; }));
    return releases_;
  }
  std::size_t asks() {
    std::lock_guard lock(mutex_);
    return asks_.size();
  }
  double tokens() {
    std::lock_guard lock(mutex_);
    return tokens_;
  }

private:
  struct Ask {
    std::uint64_t permit;
    std::function<void()> granted;
  };
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Ask> asks_;
  std::size_t granted_ = 0;
  std::vector<Release> releases_;
  std::string endpoint_;
  double tokens_ = 0;
};

/// Installs a broker for one test only: the client is the process's.
class BrokerScope {
public:
  explicit BrokerScope(std::shared_ptr<BudgetBroker> broker) {
    install_budget_broker(std::move(broker));
  }
  ~BrokerScope() { install_budget_broker(nullptr); }
};

Exchange exchange(const ChatServer &server, std::promise<Outcome> &done,
                  double tokens = 0) {
  Exchange e;
  e.endpoint = server.base_url() + " broker-test";
  e.request.url = server.base_url() + "/chat/completions";
  e.request.body = "{}";
  e.estimated_tokens = tokens;
  e.retry.max_retries = 0;
  e.tokens_used = [](const HttpResponse &) { return 3.0; };
  e.done = [&done](Outcome outcome) { done.set_value(std::move(outcome)); };
  return e;
}

TEST(BudgetBroker, NoAttemptStartsBeforeItsPermitAndEachPermitComesBack) {
  ChatServer server;
  server.set_handler([](const testing::SeenRequest &, std::size_t index) {
    return index == 0 ? Reply::completion("ok") : Reply::error(429, "slow");
  });
  auto broker = std::make_shared<HeldBroker>();
  BrokerScope scope(broker);
  std::promise<Outcome> first, second;
  HttpClient::global().submit(exchange(server, first, 10));
  HttpClient::global().submit(exchange(server, second, 10));
  // Both wait for permits; the server has seen nothing.
  while (broker->asks() < 2)
    std::this_thread::sleep_for(1ms);
  EXPECT_EQ(server.request_count(), 0u);
  EXPECT_EQ(broker->tokens(), 10);

  std::uint64_t permit = broker->grant_next(2);
  EXPECT_EQ(first.get_future().get().end, Outcome::End::Succeeded);
  EXPECT_EQ(server.request_count(), 1u);
  std::vector<HeldBroker::Release> released = broker->releases(1);
  EXPECT_EQ(released[0].permit, permit);
  EXPECT_EQ(released[0].end, AttemptEnd::Succeeded);
  EXPECT_EQ(released[0].refund, 7.0); // 10 estimated, 3 spent.

  broker->grant_next(2);
  EXPECT_EQ(second.get_future().get().end, Outcome::End::Failed);
  released = broker->releases(2);
  EXPECT_EQ(released[1].end, AttemptEnd::Throttled);
}

TEST(BudgetBroker, APermitOfACancelledExchangeGoesBackUnused) {
  ChatServer server;
  auto broker = std::make_shared<HeldBroker>();
  BrokerScope scope(broker);
  std::promise<Outcome> done;
  HttpClient::Id id = HttpClient::global().submit(exchange(server, done, 12));
  std::future<Outcome> outcome = done.get_future();
  while (broker->asks() == 0)
    std::this_thread::sleep_for(1ms);
  HttpClient::global().cancel(id);
  EXPECT_EQ(outcome.get().end, Outcome::End::Cancelled);
  broker->grant_next(1);
  std::vector<HeldBroker::Release> released = broker->releases(1);
  EXPECT_EQ(released[0].end, AttemptEnd::Other);
  EXPECT_EQ(released[0].refund, 12.0);
  EXPECT_EQ(server.request_count(), 0u);
}

} // namespace
} // namespace xcs::net
