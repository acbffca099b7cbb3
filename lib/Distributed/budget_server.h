//===- Distributed/budget_server.h - The job's endpoint budgets -*- C++ -*-===//
///
/// \file
/// Rank 0 holds the endpoint budgets of the whole job: every attempt of
/// every rank (rank 0's own included) asks it for a permit and gives the
/// permit back when the attempt ends, so N ranks together start no more
/// requests, spend no more tokens and keep no more requests in flight than
/// one process would. Per endpoint, permits are granted in the order they
/// were asked for. Owned by rank 0's communication thread; nothing locks.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Net/budget_broker.h"
#include "Net/endpoint_limits.h"

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace xcs::distributed {

/// A permit of a rank: its rank and its id there.
using PermitId = std::pair<int, std::uint64_t>;

class BudgetServer {
public:
  /// Rank \p permit.first asks for a permit on \p endpoint.
  void ask(PermitId permit, const std::string &endpoint,
           const net::EndpointLimits &limits, double tokens,
           net::Clock::time_point now);
  /// A granted permit comes back (see net::BudgetBroker::release).
  void release(PermitId permit, net::AttemptEnd end,
               std::optional<double> refund, net::Clock::time_point now);
  /// The permits the budgets allow now, each granted once.
  std::vector<PermitId> grant(net::Clock::time_point now);
  /// Permits granted and not given back.
  std::size_t held() const { return held_.size(); }

private:
  struct Waiting {
    PermitId permit;
    double tokens = 0;
  };
  struct Endpoint {
    Endpoint(const net::EndpointLimits &limits, net::Clock::time_point now)
        : budget(limits, now) {}
    net::EndpointBudget budget;
    std::deque<Waiting> queue;
  };
  struct Held {
    Endpoint *endpoint;
    net::Clock::time_point granted;
  };

  std::map<std::string, std::unique_ptr<Endpoint>> endpoints_;
  std::map<PermitId, Held> held_;
};

} // namespace xcs::distributed
