//===- Net/endpoint_limits.h - Budgets of one endpoint ----------*- C++ -*-===//
///
/// \file
/// The bookkeeping behind a provider's limits, without I/O or threads so it
/// can be tested on its own: a token bucket (requests or tokens per minute),
/// an adaptive concurrency window (additive increase, multiplicative
/// decrease on 429), and an endpoint's budget made of them. Whoever owns an
/// instance (the HTTP client's I/O thread, or the budget server of a
/// distributed run) drives it alone; nothing here locks.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace xcs::net {

using Clock = std::chrono::steady_clock;

/// The limits of one endpoint, shared by every exchange naming it. An
/// endpoint asked for different limits keeps the strictest of each.
struct EndpointLimits {
  /// Requests in flight at once (>= 1).
  int max_concurrency = 64;
  /// Requests started per minute; 0: unlimited.
  double requests_per_minute = 0;
  /// Tokens spent per minute (estimated before, corrected after); 0:
  /// unlimited.
  double tokens_per_minute = 0;
};

/// Budget that refills continuously at `per_minute / 60` a second up to a
/// capacity of one second's worth (at least 1), so that no window of T
/// seconds sees more than `capacity + rate * T` spent: a limit of 600 a
/// minute never becomes a burst of 600. A cost above the capacity is let
/// through once the bucket is full, leaving it in debt, so it is not
/// starved. per_minute <= 0 means unlimited.
class TokenBucket {
public:
  TokenBucket() = default;
  TokenBucket(double per_minute, Clock::time_point now);

  bool unlimited() const { return rate_per_s_ <= 0; }
  double capacity() const { return capacity_; }
  /// Spends \p cost if the bucket holds it (or is full), refilling first.
  bool try_take(double cost, Clock::time_point now);
  /// When try_take(\p cost) will next succeed (\p now if it would now).
  Clock::time_point ready_at(double cost, Clock::time_point now);
  /// Returns \p amount (negative: charges it), capped at the capacity: the
  /// correction once a call's real token count is known.
  void give_back(double amount);
  /// The level after refilling to \p now (for tests).
  double level(Clock::time_point now);

private:
  void refill(Clock::time_point now);
  double needed(double cost) const;

  double rate_per_s_ = 0;
  double capacity_ = 0;
  double level_ = 0;
  Clock::time_point refilled_;
};

/// How many requests of an endpoint may be in flight: up to \p max, halved
/// on a 429 (at most once per round trip: a 429 of a request sent before
/// the last decrease says nothing new), grown back by one per window of
/// successes (1 / window each).
class ConcurrencyWindow {
public:
  explicit ConcurrencyWindow(int max = 1) : max_(max), window_(max) {}

  /// The requests allowed in flight now, at least 1.
  int allowed() const { return static_cast<int>(window_); }
  int max() const { return max_; }
  /// Lowers the bound to \p max (an operator sharing the endpoint asked for
  /// less); never raises it.
  void tighten(int max);
  void on_success();
  /// A 429 for a request sent at \p sent.
  void on_throttled(Clock::time_point sent, Clock::time_point now);

private:
  int max_;
  double window_;
  Clock::time_point last_decrease_{};
};

/// Everything that bounds when an endpoint's next attempt may start: the
/// attempts in flight against the concurrency window, and the request and
/// token buckets. The owner keeps its own queue of waiting attempts and
/// starts the front one when may_start() says so.
class EndpointBudget {
public:
  EndpointBudget(const EndpointLimits &limits, Clock::time_point now);

  /// Takes the stricter of each of \p asked and the current limits.
  void tighten(const EndpointLimits &asked, Clock::time_point now);
  /// Whether the window has room for another attempt.
  bool has_room() const { return in_flight_ < window_.allowed(); }
  /// When an attempt estimated at \p tokens may start as far as the
  /// buckets go (\p now if it may).
  Clock::time_point ready_at(double tokens, Clock::time_point now);
  /// has_room() and ready now.
  bool may_start(double tokens, Clock::time_point now) {
    return has_room() && ready_at(tokens, now) <= now;
  }
  /// Spends one request and \p tokens on an attempt that starts now.
  void start(double tokens, Clock::time_point now);
  /// An attempt ended (whatever way): its place in the window frees up.
  void ended() { --in_flight_; }
  /// An attempt succeeded; \p refund is its estimate minus what it spent.
  void succeeded(std::optional<double> refund);
  /// Gives back \p tokens of an attempt's estimate (one that never ran).
  void give_back(double tokens) { tokens_.give_back(tokens); }
  /// An attempt sent at \p sent was throttled (HTTP 429) at \p now.
  void throttled(Clock::time_point sent, Clock::time_point now) {
    window_.on_throttled(sent, now);
  }
  bool tokens_unlimited() const { return tokens_.unlimited(); }
  int in_flight() const { return in_flight_; }

private:
  EndpointLimits limits_;
  ConcurrencyWindow window_;
  TokenBucket requests_;
  TokenBucket tokens_;
  int in_flight_ = 0;
};

} // namespace xcs::net
