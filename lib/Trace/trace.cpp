//===- trace.cpp - Tracing one call ---------------------------------------===//

#include "xcs/trace.h"

#include "Core/observation.h"

namespace xcs {
namespace {

/// \p value with no stamp anywhere in it: what an untraced call would have
/// returned, so the caller's later reads are not reported to any tracer.
Value unstamped(const Value &value) {
  if (value.stamp() == 0 && !value.is_list() && !value.is_record())
    return value;
  if (value.is_list()) {
    std::vector<Value> items;
    items.reserve(value.as_list().size());
    for (const Value &item : value.as_list())
      items.push_back(unstamped(item));
    return Value::list(std::move(items));
  }
  if (value.is_record())
    return Value::record(unstamped(value.as_record()));
  return value.with_stamp(0);
}

} // namespace

Record unstamped(const Record &record) {
  detail::ObservationPause pause;
  Record clean;
  clean.reserve(record.size());
  for (const auto &[field, value] : record)
    clean.set(field, unstamped(value));
  return clean;
}

Trace trace(const Operator &op, const Record &input, TraceMode mode) {
  Trace result;
  result.context = std::make_unique<TracerContext>(mode);
  Record stamped = result.context->stamp_input(input);
  {
    TracerContext::Scope scope(*result.context);
    op(stamped);
  }
  result.root = result.context->top_level_calls().back();
  result.output = unstamped(result.context->record(result.root).outputs);
  return result;
}

} // namespace xcs
