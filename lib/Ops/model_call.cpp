//===- Ops/model_call.cpp - The simulated model call ----------------------===//
///
/// \file
/// A stand-in for a remote model: it waits like network I/O (a timer, not a
/// sleeping thread) and answers
/// deterministically from the prompt and the seed, so tests and benchmarks
/// can predict its output and its failures. The hash is written out here
/// (FNV-1a, then splitmix64's finalizer) because std::hash differs between
/// standard libraries and the answers must not.
///
//===----------------------------------------------------------------------===//

#include "Core/timer_service.h"
#include "Ops/support.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <bit>
#include <cstdint>
#include <sstream>
#include <stdexcept>

namespace xcs::ops {
namespace {

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

/// splitmix64's finalizer: every input bit affects every output bit.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Hash of (prompt, seed) for one purpose: stream 0 picks the response,
/// stream 1 decides failure, so whether a prompt fails is independent of
/// what it answers.
std::uint64_t prompt_hash(std::string_view prompt, std::uint64_t seed,
                          std::uint64_t stream) {
  return mix(mix(fnv1a(prompt) ^ mix(seed)) + stream);
}

/// Maps a hash uniformly onto [0, 1) using its top 53 bits.
double unit_interval(std::uint64_t hash) { return (hash >> 11) * 0x1.0p-53; }

std::string hex16(std::uint64_t value) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (auto it = text.rbegin(); it != text.rend(); ++it, value >>= 4)
    *it = digits[value & 0xf];
  return text;
}

template <typename T> std::string printed(const T &value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

/// Rejects options that make no sense, naming the option; returns them.
const ModelCallOptions &validated(const ModelCallOptions &options) {
  detail::check_operator_name("model_call", options.name);
  if (!(options.failure_rate >= 0.0 && options.failure_rate <= 1.0))
    detail::fail(options.name, "option 'failure_rate' must be in [0, 1], got " +
                                   printed(options.failure_rate));
  if (options.latency.count() < 0)
    detail::fail(options.name, "option 'latency' must not be negative, got " +
                                   printed(options.latency.count()) + "us");
  return options;
}

const FieldId &prompt_field() {
  static const FieldId field("prompt");
  return field;
}

const FieldId &response_field() {
  static const FieldId field("response");
  return field;
}

} // namespace

ModelCall::ModelCall(ModelCallOptions options)
    : AsyncOperator(validated(options).name, Specification()
                                            .input("prompt", Kind::String)
                                            .output("response", Kind::String)),
      options_(std::move(options)) {}

RegistryForm ModelCall::registry_form() const {
  return {"model_call",
          Value::record({{"name", Value(options_.name)},
                         {"seed", Value(std::bit_cast<std::int64_t>(
                                      options_.seed))},
                         {"latency_us", Value(static_cast<std::int64_t>(
                                            options_.latency.count()))},
                         {"vocabulary",
                          Value(static_cast<std::int64_t>(options_.vocabulary))},
                         {"failure_rate", Value(options_.failure_rate)},
                         {"fail_on", Value(options_.fail_on)}})};
}

std::vector<FieldDependency> ModelCall::structural_dependencies() const {
  return {FieldDependency{FieldId("response"), {prompt_field()}}};
}

void ModelCall::start(const Record &inputs, Completion done) const {
  calls_.fetch_add(1, std::memory_order_relaxed);
  // Unstamped: under a trace the prompt is a traced value, and reading it
  // on the timer thread would be a use the tracer cannot see (it would keep
  // the enclosing composite opaque). The copy shares the prompt's text;
  // copying the text costs an allocation a call.
  Value prompt = inputs.at(prompt_field()).with_stamp(0);
  if (options_.latency.count() <= 0)
    return done.complete(answer(prompt.as_string()));
  // The timer and a cancellation race to complete the call: whichever
  // removes the timer first does, so it completes once.
  auto shared = std::make_shared<Completion>(std::move(done));
  xcs::detail::TimerService &timers = xcs::detail::TimerService::global();
  xcs::detail::TimerService::Id timer = timers.schedule(
      xcs::detail::TimerService::Clock::now() + options_.latency,
      [this, shared, prompt = std::move(prompt)] {
        shared->complete_with([&] { return answer(prompt.as_string()); });
      });
  shared->on_cancel([this, shared, timer] {
    if (xcs::detail::TimerService::global().cancel(timer))
      shared->fail(std::make_exception_ptr(
          Error("model '" + name() + "': call cancelled")));
  });
}

Record ModelCall::answer(std::string_view prompt) const {
  bool fail_on = !options_.fail_on.empty() &&
                 prompt.find(options_.fail_on) != std::string_view::npos;
  bool by_rate = options_.failure_rate > 0.0 &&
                 unit_interval(prompt_hash(prompt, options_.seed, 1)) <
                     options_.failure_rate;
  if (fail_on || by_rate)
    throw std::runtime_error("model '" + options_.name +
                             "' failed on prompt '" + std::string(prompt) +
                             "'");
  std::uint64_t hash = prompt_hash(prompt, options_.seed, 0);
  std::string response =
      options_.vocabulary > 0
          ? "answer-" + std::to_string(hash % options_.vocabulary)
          : options_.name + ":" + hex16(hash);
  Record outputs;
  outputs.set(response_field(), Value(std::move(response)));
  return outputs;
}

std::shared_ptr<ModelCall> model_call(ModelCallOptions options) {
  return std::make_shared<ModelCall>(std::move(options));
}

} // namespace xcs::ops
