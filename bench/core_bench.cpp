//===- core_bench.cpp - Costs of the data model and the operator call -----===//
//
// The per-call floor of every plan is built from these operations: copying
// values along edges, looking fields up in records, following paths and
// calling an operator (validate, forward, validate). BM_OperatorCall/trivial
// and BM_OperatorCall/forward_only run the same operator with and without the
// validation around forward(), so their difference is the call overhead.
//
//===----------------------------------------------------------------------===//

#include "xcs/operator.h"
#include "xcs/path.h"
#include "xcs/record.h"
#include "xcs/value.h"

#include <benchmark/benchmark.h>

#include <string_view>

namespace {

using xcs::FieldId;
using xcs::Kind;
using xcs::Record;
using xcs::Value;

void BM_ValueCopy(benchmark::State &state, const Value &value) {
  for (auto _ : state) {
    Value copy(value);
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK_CAPTURE(BM_ValueCopy, scalar, Value(42));
BENCHMARK_CAPTURE(BM_ValueCopy, string, Value("a string too long for SSO"));
BENCHMARK_CAPTURE(BM_ValueCopy, list, Value::list({1, "two", 3.0}));

/// A record of the size operators typically take.
Record six_fields() {
  return Record{{"query", "what is 2+2?"}, {"context", "arithmetic"},
                {"temperature", 0.2},      {"max_tokens", 64},
                {"model", "sim"},          {"seed", 7}};
}

void BM_RecordLookup_field_id(benchmark::State &state) {
  Record record = six_fields();
  FieldId field("max_tokens");
  for (auto _ : state) {
    // Hide the key so the lookup cannot be hoisted out of the loop.
    benchmark::DoNotOptimize(field);
    const Value *found = record.find(field);
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK(BM_RecordLookup_field_id)->Name("BM_RecordLookup/field_id");

void BM_RecordLookup_string(benchmark::State &state) {
  Record record = six_fields();
  std::string_view name = "max_tokens";
  for (auto _ : state) {
    benchmark::DoNotOptimize(name);
    const Value *found = record.find(name);
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK(BM_RecordLookup_string)->Name("BM_RecordLookup/string");

void BM_PathLookup(benchmark::State &state) {
  Record items{{"text", "first"}, {"score", 0.9}};
  Record record{
      {"query", "q"},
      {"result",
       Value::record(Record{{"items", Value::list({Value::record(items), 2})},
                            {"count", 2}})}};
  xcs::Path path = xcs::Path::parse("result.items[0]");
  for (auto _ : state) {
    const Value *found = path.find(record);
    benchmark::DoNotOptimize(found);
  }
}
BENCHMARK(BM_PathLookup);

/// (x: int) -> (y: int), y = x + 1: an operator that costs next to nothing,
/// so that a call measures the machinery around it.
class Increment : public xcs::Operator {
public:
  Increment()
      : Operator(
            "Increment",
            xcs::Specification().input("x", Kind::Int).output("y", Kind::Int)) {
  }

  Record forward(const Record &inputs) const override {
    Record outputs;
    outputs.set(y_, inputs.at(x_).as_int() + 1);
    return outputs;
  }

private:
  FieldId x_{"x"};
  FieldId y_{"y"};
};

enum class CallMode { Validated, ForwardOnly };

void BM_OperatorCall(benchmark::State &state, CallMode mode) {
  Increment increment;
  // Called through a base reference whose origin the optimizer cannot see,
  // so forward() stays a virtual call in both modes, as in operator().
  const xcs::Operator *op = &increment;
  benchmark::DoNotOptimize(op);
  Record inputs{{"x", 41}};
  for (auto _ : state) {
    Record outputs =
        mode == CallMode::Validated ? (*op)(inputs) : op->forward(inputs);
    benchmark::DoNotOptimize(outputs);
  }
}
BENCHMARK_CAPTURE(BM_OperatorCall, trivial, CallMode::Validated);
BENCHMARK_CAPTURE(BM_OperatorCall, forward_only, CallMode::ForwardOnly);

} // namespace
