//===- control_flow.cpp - What structured operators share -----------------===//

#include "xcs/control_flow.h"

#include "Core/observation.h"
#include "xcs/error.h"

#include <boost/core/demangle.hpp>

#include <cxxabi.h>
#include <string>

namespace xcs {

StructuredOperator::~StructuredOperator() = default;

namespace control_flow {
namespace {

/// "operator 'NAME': ROLE field 'F': expected bool, got KIND", worded as a
/// specification's validation words a kind mismatch.
[[noreturn]] void fail_not_bool(std::string_view op_name, std::string_view role,
                                FieldId field, const Value *value) {
  std::string where = "operator '" + std::string(op_name) + "': " +
                      std::string(role) + " field '" +
                      std::string(field.name()) + "': ";
  if (!value)
    throw InputError(where + "missing (expected bool)");
  throw InputError(where + "expected bool, got " +
                   std::string(kind_name(detail::unobserved_kind(*value))));
}

} // namespace

Record branch_input(const Operator &branch, const Record &input) {
  const Specification &spec = branch.spec();
  if (spec.has_open_inputs())
    return input;
  Record taken;
  taken.reserve(spec.inputs().size());
  for (const auto &[field, value] : input)
    if (spec.find_input(field))
      taken.set(field, value);
  return taken;
}

std::uint32_t cond_branch(std::string_view op_name, FieldId field,
                          const Value &predicate) {
  detail::ObservationPause pause;
  if (!predicate.is_bool())
    fail_not_bool(op_name, "input", field, &predicate);
  return predicate.as_bool() ? 0 : 1;
}

std::uint32_t switch_branch(const Value &value,
                            const std::vector<const Value *> &cases) {
  detail::ObservationPause pause;
  for (std::uint32_t i = 0; i < cases.size(); ++i)
    if (*cases[i] == value)
      return i;
  return static_cast<std::uint32_t>(cases.size());
}

std::string error_type_name(const std::exception_ptr &error) {
  try {
    std::rethrow_exception(error);
  } catch (...) {
    const std::type_info *type = abi::__cxa_current_exception_type();
    return type ? boost::core::demangle(type->name()) : "unknown";
  }
}

std::string error_message(const std::exception_ptr &error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception &e) {
    return e.what();
  } catch (...) {
    return "";
  }
}

Record with_error_fields(const Operator &on_error, Record input,
                         const std::exception_ptr &error) {
  const Specification &spec = on_error.spec();
  FieldId type(error_type_field);
  FieldId message(error_message_field);
  if (spec.has_open_inputs() || spec.find_input(type))
    input.set(type, Value(error_type_name(error)));
  if (spec.has_open_inputs() || spec.find_input(message))
    input.set(message, Value(error_message(error)));
  return input;
}

bool loop_done(std::string_view op_name, FieldId done, const Record &output) {
  detail::ObservationPause pause;
  const Value *value = output.find(done);
  if (!value || !value->is_bool())
    fail_not_bool(op_name, "body output", done, value);
  return value->as_bool();
}

Record next_loop_input(const Record &input, const Record &output) {
  Record next;
  next.reserve(input.size());
  for (const auto &[field, value] : input) {
    const Value *updated = output.find(field);
    next.set(field, updated ? *updated : value);
  }
  return next;
}

Record loop_result(Record output, std::uint32_t iterations, bool bound_hit) {
  output.set(FieldId(iterations_field),
             Value(static_cast<std::int64_t>(iterations)));
  output.set(FieldId(bound_hit_field), Value(bound_hit));
  return output;
}

} // namespace control_flow
} // namespace xcs
