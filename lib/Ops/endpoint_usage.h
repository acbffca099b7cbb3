//===- Ops/endpoint_usage.h - Chat models' spending -------------*- C++ -*-===//
///
/// \file
/// The counters behind ops::endpoint_usage(): one set per endpoint, made on
/// its first call and kept for the process, updated without a lock when a
/// call ends.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/chat_model.h"
#include "xcs/record.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace xcs::ops {

class EndpointCounters {
public:
  /// A call ended after \p attempts requests, one of them the first.
  void ended(std::size_t attempts);
  /// The call that ended succeeded with \p result (its usage is counted).
  void succeeded(const Record &result);
  EndpointUsage usage(std::string endpoint) const;

private:
  std::atomic<std::uint64_t> calls_{0}, successes_{0}, retries_{0};
  std::atomic<std::uint64_t> prompt_tokens_{0}, completion_tokens_{0};
};

/// The counters of \p endpoint, which live as long as the process.
EndpointCounters &endpoint_counters(const std::string &endpoint);

} // namespace xcs::ops
