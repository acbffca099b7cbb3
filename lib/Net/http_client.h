//===- Net/http_client.h - The process's HTTP client ------------*- C++ -*-===//
///
/// \file
/// One I/O thread drives every HTTP exchange of the process over libcurl's
/// multi interface: a call in flight holds no thread, connections are kept
/// and reused, and an exchange waiting for its endpoint's budget or for a
/// retry's backoff waits in the loop's own queues, not on a thread.
///
/// Other threads hand work to the loop through a locked queue and
/// curl_multi_wakeup; everything else (endpoints, transfers, curl handles)
/// belongs to the I/O thread alone. An exchange's `done` callback runs on
/// the I/O thread exactly once, so it must not block.
///
/// An installed BudgetBroker (Net/budget_broker.h) holds the budgets
/// instead of the I/O thread: each attempt then waits for its permit.
///
/// Nothing here logs or formats a request's headers: they may carry a key.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "Net/endpoint_limits.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace xcs::net {

/// When to try again. Retried: HTTP 429 and 5xx, timeouts, refused or
/// dropped connections. The delay before retry k (1-based) is drawn
/// uniformly from [d/2, d], d = min(backoff_max, backoff_base * 2^(k-1)),
/// and is at least the server's Retry-After.
struct RetryPolicy {
  int max_retries = 3;
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_max{30'000};
};

struct HttpRequest {
  /// Always POSTed.
  std::string url;
  /// "Name: value" lines.
  std::vector<std::string> headers;
  std::string body;
  std::chrono::milliseconds timeout{60'000};
  std::chrono::milliseconds connect_timeout{10'000};
};

struct HttpResponse {
  long status = 0;
  /// The Content-Type header, "" when absent.
  std::string content_type;
  std::string body;
};

/// How an exchange ended.
struct Outcome {
  enum class End {
    /// A 2xx response.
    Succeeded,
    /// The last attempt's failure: an HTTP error status, or a transport
    /// error (then `response` is empty and `error` says what happened).
    Failed,
    /// Cancelled before it ended.
    Cancelled,
  };
  End end = End::Failed;
  /// The last response received, if the last attempt got one.
  std::optional<HttpResponse> response;
  /// What failed, for a transport error or a retry given up early.
  std::string error;
  /// One short line per attempt: "HTTP 500", "Timeout was reached", ...
  std::vector<std::string> attempts;
};

struct Exchange {
  /// Names the endpoint whose limits apply (for a model: URL and model).
  std::string endpoint;
  EndpointLimits limits;
  RetryPolicy retry;
  HttpRequest request;
  /// What the call is expected to spend of the tokens-per-minute budget.
  double estimated_tokens = 0;
  /// The tokens a successful response says it spent, to correct the
  /// estimate (nullopt: unknown). Runs on the I/O thread.
  std::function<std::optional<double>(const HttpResponse &)> tokens_used;
  /// Runs once, on the I/O thread, when the exchange ends.
  std::function<void(Outcome)> done;
};

class HttpClient {
public:
  using Id = std::uint64_t;

  /// The process-wide client; its thread starts on first use. Never
  /// destroyed: exchanges may still end during static destruction.
  static HttpClient &global();

  /// Queues \p exchange; it starts as soon as its endpoint's limits allow.
  /// Returns its id, for cancel().
  Id submit(Exchange exchange);
  /// Ends exchange \p id as Cancelled, aborting its transfer, unless it
  /// has ended already. Any thread; does not block on the I/O.
  void cancel(Id id);

  /// Counters for tests: exchanges submitted, transfers started (attempts)
  /// and connections opened since the process started; exchanges not ended
  /// yet.
  struct Stats {
    std::uint64_t submitted = 0;
    std::uint64_t attempts = 0;
    std::uint64_t connections = 0;
    std::uint64_t active = 0;
  };
  Stats stats() const;

  HttpClient(const HttpClient &) = delete;
  HttpClient &operator=(const HttpClient &) = delete;

private:
  class Loop;
  HttpClient();
  ~HttpClient();

  std::unique_ptr<Loop> loop_;
};

} // namespace xcs::net
