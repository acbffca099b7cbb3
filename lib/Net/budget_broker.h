//===- Net/budget_broker.h - Budgets shared beyond the process -*- C++ -*-===//
///
/// \file
/// By default each process keeps its endpoints' budgets itself (the HTTP
/// client's I/O thread). A job spread over several processes must hold the
/// provider's limits for the whole job instead: it installs a broker before
/// the first exchange, and from then on every attempt of every exchange asks
/// the broker for a permit before it starts and tells the broker when it
/// ended. The broker decides who holds the budgets (lib/Distributed: rank 0
/// of an MPI job); this layer knows nothing of how it reaches them.
///
/// The HTTP client calls the broker on its I/O thread, so neither call may
/// block: a broker queues the request and answers later.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Net/endpoint_limits.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace xcs::net {

/// How an attempt that held a permit ended, for the endpoint's window.
enum class AttemptEnd : std::uint8_t {
  /// A 2xx response: the window may grow.
  Succeeded,
  /// HTTP 429: the window shrinks.
  Throttled,
  /// Any other failure, or the attempt was cancelled (or never started).
  Other,
};

class BudgetBroker {
public:
  virtual ~BudgetBroker();

  /// Asks for permit \p permit (an id unique among this process's permits
  /// not yet released) to start one attempt on \p endpoint, asking for
  /// \p limits and estimated to spend \p tokens. Calls \p granted exactly
  /// once, on any thread, when the attempt may start.
  virtual void acquire(std::uint64_t permit, const std::string &endpoint,
                       const EndpointLimits &limits, double tokens,
                       std::function<void()> granted) = 0;
  /// Gives back granted permit \p permit: its attempt ended as \p end;
  /// \p refund is the estimate minus the tokens spent, when known.
  virtual void release(std::uint64_t permit, AttemptEnd end,
                       std::optional<double> refund) = 0;
};

/// Makes \p broker hold the budgets of every exchange submitted from now
/// on (null: the process's own budgets again). Install it before the first
/// exchange: exchanges already waiting keep the budgets they started with.
void install_budget_broker(std::shared_ptr<BudgetBroker> broker);

} // namespace xcs::net
