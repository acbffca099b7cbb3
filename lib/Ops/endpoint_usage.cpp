//===- endpoint_usage.cpp - What chat models spent per endpoint -----------===//

#include "Ops/endpoint_usage.h"

#include <map>
#include <memory>
#include <mutex>

namespace xcs::ops {
namespace {

struct Endpoints {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<EndpointCounters>> counters;
};

/// Never destroyed: calls may end during static destruction.
Endpoints &endpoints() {
  static Endpoints *all = new Endpoints;
  return *all;
}

std::uint64_t token_count(const Record &usage, const char *field) {
  const Value *count = usage.find(field);
  return count && count->is_int() && count->as_int() > 0
             ? static_cast<std::uint64_t>(count->as_int())
             : 0;
}

} // namespace

void EndpointCounters::ended(std::size_t attempts) {
  calls_.fetch_add(1, std::memory_order_relaxed);
  if (attempts > 1)
    retries_.fetch_add(attempts - 1, std::memory_order_relaxed);
}

void EndpointCounters::succeeded(const Record &result) {
  successes_.fetch_add(1, std::memory_order_relaxed);
  const Value *usage = result.find("usage");
  if (!usage || !usage->is_record())
    return;
  prompt_tokens_.fetch_add(token_count(usage->as_record(), "prompt_tokens"),
                           std::memory_order_relaxed);
  completion_tokens_.fetch_add(
      token_count(usage->as_record(), "completion_tokens"),
      std::memory_order_relaxed);
}

EndpointUsage EndpointCounters::usage(std::string endpoint) const {
  EndpointUsage usage;
  usage.endpoint = std::move(endpoint);
  usage.calls = calls_.load(std::memory_order_relaxed);
  std::uint64_t successes = successes_.load(std::memory_order_relaxed);
  usage.failures = usage.calls > successes ? usage.calls - successes : 0;
  usage.retries = retries_.load(std::memory_order_relaxed);
  usage.prompt_tokens = prompt_tokens_.load(std::memory_order_relaxed);
  usage.completion_tokens = completion_tokens_.load(std::memory_order_relaxed);
  return usage;
}

EndpointCounters &endpoint_counters(const std::string &endpoint) {
  Endpoints &all = endpoints();
  std::lock_guard lock(all.mutex);
  std::unique_ptr<EndpointCounters> &counters = all.counters[endpoint];
  if (!counters)
    counters = std::make_unique<EndpointCounters>();
  return *counters;
}

std::vector<EndpointUsage> endpoint_usage() {
  Endpoints &all = endpoints();
  std::lock_guard lock(all.mutex);
  std::vector<EndpointUsage> usage;
  for (const auto &[endpoint, counters] : all.counters)
    usage.push_back(counters->usage(endpoint));
  return usage;
}

} // namespace xcs::ops
