//===- endpoint_limits.cpp - Budgets of one endpoint ----------------------===//

#include "Net/endpoint_limits.h"

#include <algorithm>

namespace xcs::net {

TokenBucket::TokenBucket(double per_minute, Clock::time_point now)
    : rate_per_s_(per_minute > 0 ? per_minute / 60.0 : 0),
      capacity_(std::max(1.0, rate_per_s_)), level_(capacity_),
      refilled_(now) {}

void TokenBucket::refill(Clock::time_point now) {
  if (now <= refilled_)
    return;
  double seconds = std::chrono::duration<double>(now - refilled_).count();
  level_ = std::min(capacity_, level_ + seconds * rate_per_s_);
  refilled_ = now;
}

double TokenBucket::needed(double cost) const {
  return std::min(cost, capacity_);
}

bool TokenBucket::try_take(double cost, Clock::time_point now) {
  if (unlimited())
    return true;
  refill(now);
  if (level_ < needed(cost))
    return false;
  level_ -= cost;
  return true;
}

Clock::time_point TokenBucket::ready_at(double cost, Clock::time_point now) {
  if (unlimited())
    return now;
  refill(now);
  double missing = needed(cost) - level_;
  if (missing <= 0)
    return now;
  // Rounded up, so that waking at the instant finds the budget there.
  auto wait = std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(missing / rate_per_s_)) +
              std::chrono::microseconds(1);
  return now + wait;
}

void TokenBucket::give_back(double amount) {
  if (!unlimited())
    level_ = std::min(capacity_, level_ + amount);
}

double TokenBucket::level(Clock::time_point now) {
  refill(now);
  return level_;
}

void ConcurrencyWindow::tighten(int max) {
  if (max >= max_)
    return;
  max_ = std::max(1, max);
  window_ = std::min(window_, static_cast<double>(max_));
}

void ConcurrencyWindow::on_success() {
  window_ = std::min(static_cast<double>(max_), window_ + 1.0 / window_);
}

void ConcurrencyWindow::on_throttled(Clock::time_point sent,
                                     Clock::time_point now) {
  if (sent < last_decrease_)
    return;
  window_ = std::max(1.0, window_ / 2);
  last_decrease_ = now;
}

EndpointBudget::EndpointBudget(const EndpointLimits &limits,
                               Clock::time_point now)
    : limits_(limits), window_(std::max(1, limits.max_concurrency)),
      requests_(limits.requests_per_minute, now),
      tokens_(limits.tokens_per_minute, now) {}

void EndpointBudget::tighten(const EndpointLimits &asked,
                             Clock::time_point now) {
  window_.tighten(asked.max_concurrency);
  auto stricter = [](double asked, double current) {
    return asked > 0 && (current <= 0 || asked < current);
  };
  if (stricter(asked.requests_per_minute, limits_.requests_per_minute)) {
    limits_.requests_per_minute = asked.requests_per_minute;
    requests_ = TokenBucket(asked.requests_per_minute, now);
  }
  if (stricter(asked.tokens_per_minute, limits_.tokens_per_minute)) {
    limits_.tokens_per_minute = asked.tokens_per_minute;
    tokens_ = TokenBucket(asked.tokens_per_minute, now);
  }
}

Clock::time_point EndpointBudget::ready_at(double tokens,
                                           Clock::time_point now) {
  return std::max(requests_.ready_at(1, now), tokens_.ready_at(tokens, now));
}

void EndpointBudget::start(double tokens, Clock::time_point now) {
  requests_.try_take(1, now);
  tokens_.try_take(tokens, now);
  ++in_flight_;
}

void EndpointBudget::succeeded(std::optional<double> refund) {
  window_.on_success();
  if (refund)
    tokens_.give_back(*refund);
}

} // namespace xcs::net
