//===- Distributed/rank_broker.cpp - A rank's side of the budgets ---------===//

#include "Distributed/rank_broker.h"

#include "xcs/error.h"

#include <utility>

namespace xcs::distributed {

std::vector<char> PermitTraffic::encode() const {
  WireWriter out;
  out.put<std::uint64_t>(asks.size());
  for (const PermitAsk &ask : asks) {
    out.put(ask.permit);
    out.put_string(ask.endpoint);
    out.put<std::int64_t>(ask.limits.max_concurrency);
    out.put(ask.limits.requests_per_minute);
    out.put(ask.limits.tokens_per_minute);
    out.put(ask.tokens);
  }
  out.put<std::uint64_t>(releases.size());
  for (const PermitRelease &release : releases) {
    out.put(release.permit);
    out.put(release.end);
    out.put<std::uint8_t>(release.refund.has_value());
    out.put(release.refund.value_or(0));
  }
  return out.take();
}

PermitTraffic PermitTraffic::decode(const std::vector<char> &bytes) {
  WireReader in(bytes);
  PermitTraffic traffic;
  for (auto n = in.get<std::uint64_t>(); n > 0; --n) {
    PermitAsk ask;
    ask.permit = in.get<std::uint64_t>();
    ask.endpoint = in.get_string();
    ask.limits.max_concurrency = static_cast<int>(in.get<std::int64_t>());
    ask.limits.requests_per_minute = in.get<double>();
    ask.limits.tokens_per_minute = in.get<double>();
    ask.tokens = in.get<double>();
    traffic.asks.push_back(std::move(ask));
  }
  for (auto n = in.get<std::uint64_t>(); n > 0; --n) {
    PermitRelease release;
    release.permit = in.get<std::uint64_t>();
    release.end = in.get<net::AttemptEnd>();
    bool has_refund = in.get<std::uint8_t>() != 0;
    double refund = in.get<double>();
    if (has_refund)
      release.refund = refund;
    traffic.releases.push_back(release);
  }
  return traffic;
}

void RankBroker::acquire(std::uint64_t permit, const std::string &endpoint,
                         const net::EndpointLimits &limits, double tokens,
                         std::function<void()> granted) {
  {
    std::lock_guard lock(mutex_);
    waiting_[permit] = std::move(granted);
    queued_.asks.push_back(PermitAsk{permit, endpoint, limits, tokens});
  }
  doorbell_->ring();
}

void RankBroker::release(std::uint64_t permit, net::AttemptEnd end,
                         std::optional<double> refund) {
  {
    std::lock_guard lock(mutex_);
    queued_.releases.push_back(PermitRelease{permit, end, refund});
  }
  doorbell_->ring();
}

PermitTraffic RankBroker::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(queued_, PermitTraffic{});
}

void RankBroker::granted(std::uint64_t permit) {
  std::function<void()> callback;
  {
    std::lock_guard lock(mutex_);
    auto found = waiting_.find(permit);
    if (found == waiting_.end())
      throw Error("rank 0 granted permit " + std::to_string(permit) +
                  ", which nobody asked for");
    callback = std::move(found->second);
    waiting_.erase(found);
  }
  callback();
}

} // namespace xcs::distributed
