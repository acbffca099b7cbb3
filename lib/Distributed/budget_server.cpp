//===- Distributed/budget_server.cpp - The job's endpoint budgets ---------===//

#include "Distributed/budget_server.h"

#include "xcs/error.h"

namespace xcs::distributed {

void BudgetServer::ask(PermitId permit, const std::string &endpoint,
                       const net::EndpointLimits &limits, double tokens,
                       net::Clock::time_point now) {
  std::unique_ptr<Endpoint> &slot = endpoints_[endpoint];
  if (!slot)
    slot = std::make_unique<Endpoint>(limits, now);
  else
    slot->budget.tighten(limits, now);
  slot->queue.push_back(Waiting{permit, tokens});
}

void BudgetServer::release(PermitId permit, net::AttemptEnd end,
                           std::optional<double> refund,
                           net::Clock::time_point now) {
  auto found = held_.find(permit);
  if (found == held_.end())
    throw Error("rank " + std::to_string(permit.first) + " gave back permit " +
                std::to_string(permit.second) + ", which it does not hold");
  net::EndpointBudget &budget = found->second.endpoint->budget;
  switch (end) {
  case net::AttemptEnd::Succeeded:
    budget.succeeded(refund);
    break;
  case net::AttemptEnd::Throttled:
    // The grant stands for the send: the ranks' clocks are not comparable.
    budget.throttled(found->second.granted, now);
    break;
  case net::AttemptEnd::Other:
    // An attempt that never started gives its tokens back.
    if (refund)
      budget.give_back(*refund);
    break;
  }
  budget.ended();
  held_.erase(found);
}

std::vector<PermitId> BudgetServer::grant(net::Clock::time_point now) {
  std::vector<PermitId> granted;
  for (auto &[name, endpoint] : endpoints_) {
    while (!endpoint->queue.empty() &&
           endpoint->budget.may_start(endpoint->queue.front().tokens, now)) {
      Waiting waiting = endpoint->queue.front();
      endpoint->queue.pop_front();
      endpoint->budget.start(waiting.tokens, now);
      held_.emplace(waiting.permit, Held{endpoint.get(), now});
      granted.push_back(waiting.permit);
    }
  }
  return granted;
}

} // namespace xcs::distributed
