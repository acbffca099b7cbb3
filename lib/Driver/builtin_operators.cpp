//===- Driver/builtin_operators.cpp - xcs::ops by name --------------------===//
///
/// \file
/// One factory per built-in operator. Each reads its arguments by name (the
/// parameter names of the xcs::ops function, with the same defaults) and
/// leaves the checks of their values to xcs::ops.
///
//===----------------------------------------------------------------------===//

#include "Driver/builtin_operators.h"

#include "Core/declared_form.h"
#include "Driver/operator_arguments.h"
#include "xcs/chat_model.h"
#include "xcs/error.h"
#include "xcs/ops.h"

#include <bit>
#include <chrono>
#include <cstdint>
#include <limits>

namespace xcs {
namespace {

OperatorPtr make_identity(const Value &arguments) {
  OperatorArguments args(arguments, {"fields"});
  return ops::identity(args.strings("fields"));
}

OperatorPtr make_select(const Value &arguments) {
  OperatorArguments args(arguments, {"fields"});
  return ops::select(args.strings("fields"));
}

OperatorPtr make_rename(const Value &arguments) {
  OperatorArguments args(arguments, {"mapping"});
  return ops::rename(args.string_map("mapping"));
}

OperatorPtr make_format(const Value &arguments) {
  OperatorArguments args(arguments, {"text", "output"});
  return ops::format(args.string("text"), args.string_or("output", "text"));
}

OperatorPtr make_affine(const Value &arguments) {
  OperatorArguments args(arguments, {"mul", "add", "in", "out"});
  return ops::affine(args.integer("mul"), args.integer("add"),
                     args.string_or("in", "x"), args.string_or("out", "y"));
}

/// The factory of add, sub or mul.
OperatorFactory binary_factory(ops::BinaryOp op) {
  return [op](const Value &arguments) {
    OperatorArguments args(arguments, {"lhs", "rhs", "out"});
    return ops::binary(op, args.string_or("lhs", "a"),
                       args.string_or("rhs", "b"), args.string_or("out", "y"));
  };
}

OperatorPtr make_counter(const Value &arguments) {
  OperatorArguments args(arguments, {"out"});
  return ops::counter(args.string_or("out", "count"));
}

OperatorPtr make_most_common(const Value &arguments) {
  OperatorArguments args(arguments, {"input", "output"});
  return ops::most_common(args.string_or("input", "responses"),
                          args.string_or("output", "answer"));
}

OperatorPtr make_judge(const Value &arguments) {
  OperatorArguments args(arguments, {"name"});
  return ops::judge(args.string_or("name", "Judge"));
}

/// The latency is latency_ms or, finer, latency_us (how the operator
/// prints itself); not both. A negative seed stands for the unsigned seed
/// with the same bits, so every seed prints and reads back.
OperatorPtr make_model_call(const Value &arguments) {
  OperatorArguments args(arguments,
                         {"name", "seed", "latency_ms", "latency_us",
                          "vocabulary", "failure_rate", "fail_on"});
  constexpr std::int64_t min_int = std::numeric_limits<std::int64_t>::min();
  constexpr std::int64_t max_int = std::numeric_limits<std::int64_t>::max();
  // A minute: anything longer in a dump is a mistake, not a simulation.
  constexpr std::int64_t max_latency_ms = 60'000;
  if (args.has("latency_ms") && args.has("latency_us"))
    throw InputError("give latency_ms or latency_us, not both");
  ops::ModelCallOptions options;
  options.name = args.string_or("name", options.name);
  options.seed =
      std::bit_cast<std::uint64_t>(args.integer_in("seed", 0, min_int, max_int));
  options.latency =
      args.has("latency_us")
          ? std::chrono::microseconds(args.integer_in(
                "latency_us", 0, 0, max_latency_ms * 1000))
          : std::chrono::milliseconds(
                args.integer_in("latency_ms", 0, 0, max_latency_ms));
  options.vocabulary = static_cast<std::uint32_t>(args.integer_in(
      "vocabulary", 0, 0, std::numeric_limits<std::uint32_t>::max()));
  options.failure_rate = args.number_or("failure_rate", 0.0);
  options.fail_on = args.string_or("fail_on", "");
  return ops::model_call(std::move(options));
}

/// Durations and counts are ints (milliseconds for *_ms); the rates are
/// numbers. Absent temperature and max_tokens are not sent.
OperatorPtr make_chat_model(const Value &arguments) {
  OperatorArguments args(
      arguments,
      {"name", "base_url", "model", "api_key_env", "system", "temperature",
       "max_tokens", "timeout_ms", "connect_timeout_ms", "max_retries",
       "retry_base_ms", "retry_max_ms", "max_concurrency",
       "requests_per_minute", "tokens_per_minute", "headers"});
  constexpr std::int64_t max_int = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t max_int32 = std::numeric_limits<std::int32_t>::max();
  // The bounds here only keep the ints representable; ops::chat_model
  // checks what the values mean.
  auto millis = [&](std::string_view name, std::chrono::milliseconds fallback) {
    return std::chrono::milliseconds(
        args.integer_in(name, fallback.count(), -max_int32, max_int32));
  };
  ops::ChatModelOptions options;
  options.name = args.string_or("name", options.name);
  options.base_url = args.string("base_url");
  options.model = args.string("model");
  options.api_key_env = args.string_or("api_key_env", "");
  options.system = args.string_or("system", "");
  if (args.has("temperature"))
    options.temperature = args.number_or("temperature", 0.0);
  if (args.has("max_tokens"))
    options.max_tokens = args.integer_in("max_tokens", 0, -max_int, max_int);
  options.timeout = millis("timeout_ms", options.timeout);
  options.connect_timeout = millis("connect_timeout_ms", options.connect_timeout);
  options.max_retries = static_cast<int>(
      args.integer_in("max_retries", options.max_retries, -max_int32, max_int32));
  options.retry_base = millis("retry_base_ms", options.retry_base);
  options.retry_max = millis("retry_max_ms", options.retry_max);
  options.max_concurrency = static_cast<int>(args.integer_in(
      "max_concurrency", options.max_concurrency, -max_int32, max_int32));
  options.requests_per_minute = args.number_or("requests_per_minute", 0.0);
  options.tokens_per_minute = args.number_or("tokens_per_minute", 0.0);
  if (args.has("headers"))
    options.headers = args.string_map("headers");
  return ops::chat_model(std::move(options));
}

OperatorPtr make_declared(const Value &arguments) {
  OperatorArguments args(arguments, {"name", "spec"});
  return ops::declared(args.string("name"),
                       Specification::from_value(args.required("spec")));
}

} // namespace

void add_builtin_operators(OperatorRegistry &registry) {
  registry.add("identity", make_identity);
  registry.add("select", make_select);
  registry.add("rename", make_rename);
  registry.add("format", make_format);
  registry.add("affine", make_affine);
  registry.add("add", binary_factory(ops::BinaryOp::Add));
  registry.add("sub", binary_factory(ops::BinaryOp::Sub));
  registry.add("mul", binary_factory(ops::BinaryOp::Mul));
  registry.add("counter", make_counter);
  registry.add("most_common", make_most_common);
  registry.add("judge", make_judge);
  registry.add("model_call", make_model_call);
  registry.add("chat_model", make_chat_model);
  registry.add(std::string(declared_registry_name), make_declared);
}

} // namespace xcs
