//===- jit_metrics.cpp - Counters of the JIT ------------------------------===//

#include "JIT/jit_metrics.h"

#include "JIT/jit_operator.h"
#include "xcs/error.h"
#include "xcs/metrics.h"

#include <cstdio>

namespace xcs {

void JitCounters::add(Counter JitCounters::*counter, std::int64_t amount) {
  (this->*counter).fetch_add(amount, std::memory_order_relaxed);
  JitCounters &all = global();
  if (this != &all)
    (all.*counter).fetch_add(amount, std::memory_order_relaxed);
}

void JitCounters::chose(Strategy strategy, std::string reason) {
  set_strategy(strategy, reason);
  if (this != &global())
    global().set_strategy(strategy, std::move(reason));
}

void JitCounters::set_strategy(Strategy strategy, std::string reason) {
  std::lock_guard lock(strategy_mutex_);
  strategy_ = std::string(strategy_name(strategy));
  strategy_reason_ = std::move(reason);
}

Record JitCounters::report() const {
  auto read = [](const Counter &c) {
    return Value(c.load(std::memory_order_relaxed));
  };
  Record record{{"calls", read(calls_)},
                {"hits", read(hits_)},
                {"misses", read(misses_)},
                {"eager_calls", read(eager_calls_)},
                {"recoveries", read(recoveries_)},
                {"trace_ns", read(trace_ns_)},
                {"compile_ns", read(compile_ns_)},
                {"execution_ns", read(execution_ns_)}};
  std::lock_guard lock(strategy_mutex_);
  record.set("strategy", strategy_.empty() ? Value() : Value(strategy_));
  record.set("strategy_reason",
             strategy_reason_.empty() ? Value() : Value(strategy_reason_));
  return record;
}

void JitCounters::reset() {
  for (Counter *c : {&calls_, &hits_, &misses_, &eager_calls_, &recoveries_,
                     &trace_ns_, &compile_ns_, &execution_ns_})
    c->store(0, std::memory_order_relaxed);
  std::lock_guard lock(strategy_mutex_);
  strategy_.clear();
  strategy_reason_.clear();
}

JitCounters &JitCounters::global() {
  static JitCounters counters;
  return counters;
}

Record JitPerformanceMetrics::report(const Operator &jit_op) {
  const auto *op = dynamic_cast<const JitOperator *>(&jit_op);
  if (!op)
    throw InputError("metrics: operator '" + jit_op.name() +
                     "' is not a jit operator (make one with xcs::jit)");
  return op->report();
}

Record JitPerformanceMetrics::report() {
  Record report = JitCounters::global().report();
  report.set("plans", static_cast<std::int64_t>(JITCache::global().size()));
  return report;
}

void JitPerformanceMetrics::reset() { JitCounters::global().reset(); }

std::string JitPerformanceMetrics::format(const Record &report) {
  auto number = [&](std::string_view field) -> std::int64_t {
    const Value *v = report.find(field);
    return v && v->is_int() ? v->as_int() : 0;
  };
  auto millis = [&](std::string_view field) {
    char text[32];
    std::snprintf(text, sizeof text, "%.3f ms",
                  static_cast<double>(number(field)) / 1e6);
    return std::string(text);
  };
  std::string text;
  text += "calls:     " + std::to_string(number("calls")) + " (" +
          std::to_string(number("hits")) + " hits, " +
          std::to_string(number("misses")) + " misses, " +
          std::to_string(number("eager_calls")) + " eager, " +
          std::to_string(number("recoveries")) + " recovered)\n";
  text += "trace:     " + millis("trace_ns") + "\n";
  text += "compile:   " + millis("compile_ns") + "\n";
  text += "execution: " + millis("execution_ns") + "\n";
  if (report.find("plans"))
    text += "plans:     " + std::to_string(number("plans")) + "\n";
  if (report.find("workers"))
    text += "workers:   " + std::to_string(number("workers")) + "\n";
  const Value *strategy = report.find("strategy");
  if (strategy && strategy->is_string()) {
    text += "strategy:  " + std::string(strategy->as_string());
    const Value *reason = report.find("strategy_reason");
    if (reason && reason->is_string())
      text += " (" + std::string(reason->as_string()) + ")";
    text += "\n";
  }
  return text;
}

} // namespace xcs
