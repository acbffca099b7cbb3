//===- Distributed/rank_broker.h - A rank's side of the budgets -*- C++ -*-===//
///
/// \file
/// The net::BudgetBroker each rank installs: the HTTP client's I/O thread
/// queues its asks and releases here, and the rank's communication thread
/// takes them (to rank 0's BudgetServer, over MPI or directly on rank 0)
/// and hands the grants back. Any thread; locks only its queues.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Distributed/doorbell.h"
#include "Distributed/wire.h"
#include "Net/budget_broker.h"

#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace xcs::distributed {

struct PermitAsk {
  std::uint64_t permit = 0;
  std::string endpoint;
  net::EndpointLimits limits;
  double tokens = 0;
};

struct PermitRelease {
  std::uint64_t permit = 0;
  net::AttemptEnd end = net::AttemptEnd::Other;
  std::optional<double> refund;
};

/// What the I/O thread queued since the last take().
struct PermitTraffic {
  std::vector<PermitAsk> asks;
  std::vector<PermitRelease> releases;
  bool empty() const { return asks.empty() && releases.empty(); }
  /// The Tag::Permits message.
  std::vector<char> encode() const;
  static PermitTraffic decode(const std::vector<char> &bytes);
};

class RankBroker final : public net::BudgetBroker {
public:
  /// Rings \p doorbell with every ask and release.
  explicit RankBroker(std::shared_ptr<Doorbell> doorbell)
      : doorbell_(std::move(doorbell)) {}

  void acquire(std::uint64_t permit, const std::string &endpoint,
               const net::EndpointLimits &limits, double tokens,
               std::function<void()> granted) override;
  void release(std::uint64_t permit, net::AttemptEnd end,
               std::optional<double> refund) override;

  /// The asks and releases queued so far.
  PermitTraffic take();
  /// Permit \p permit was granted: its attempt may start.
  void granted(std::uint64_t permit);

private:
  std::shared_ptr<Doorbell> doorbell_;
  std::mutex mutex_;
  PermitTraffic queued_;
  std::unordered_map<std::uint64_t, std::function<void()>> waiting_;
};

} // namespace xcs::distributed
