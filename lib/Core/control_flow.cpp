//===- control_flow.cpp - What structured operators share -----------------===//

#include "xcs/control_flow.h"

#include "Core/observation.h"
#include "xcs/error.h"

#include <boost/core/demangle.hpp>

#include <cxxabi.h>
#include <optional>
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

/// Whether kinds \p a and \p b may describe the same field: equal, or
/// one of them any.
bool compatible(std::optional<Kind> a, std::optional<Kind> b) {
  return !a || !b || a == b;
}

/// "output 'F' of 'A' WHAT 'B'": how branches_disagree() words a difference.
std::string difference(const Operator &a, const Operator &b, FieldId field,
                       const std::string &what) {
  return "branches must produce the same output fields and kinds: output '" +
         std::string(field.name()) + "' of '" + a.name() + "' " + what +
         " '" + b.name() + "'";
}

} // namespace

std::string branches_disagree(const std::vector<OperatorPtr> &branches) {
  const Operator &first = *branches.front();
  for (std::size_t i = 1; i < branches.size(); ++i) {
    const Operator &other = *branches[i];
    for (const FieldSpec &field : first.spec().outputs()) {
      const FieldSpec *match = other.spec().find_output(field.id);
      if (!match)
        return difference(first, other, field.id, "is not an output of");
      if (match->required != field.required)
        return difference(first, other, field.id,
                          std::string("is ") +
                              (field.required ? "required" : "optional") +
                              ", but not in");
      if (!compatible(match->kind, field.kind))
        return difference(first, other, field.id,
                          "is " + field.kind_text() + ", but " +
                              match->kind_text() + " in");
    }
    for (const FieldSpec &field : other.spec().outputs())
      if (!first.spec().find_output(field.id))
        return difference(other, first, field.id, "is not an output of");
  }
  return "";
}

std::string body_cannot_loop(const Operator &body, FieldId done) {
  const Specification &spec = body.spec();
  const FieldSpec *flag = spec.find_output(done);
  if (!flag || !flag->required || !compatible(flag->kind, Kind::Bool))
    return "body '" + body.name() + "' must always output '" +
           std::string(done.name()) + "' as a bool";
  for (std::string_view added : {iterations_field, bound_hit_field})
    if (spec.find_output(FieldId(added)))
      return "body '" + body.name() + "' outputs '" + std::string(added) +
             "', which repeat_until adds to the result";
  for (const FieldSpec &input : spec.inputs()) {
    const FieldSpec *output = spec.find_output(input.id);
    if (output && (!output->required || !compatible(input.kind, output->kind)))
      return "body '" + body.name() + "' output '" +
             std::string(input.id.name()) +
             "' goes back to its input of the same name, so it must always "
             "be output with kind " +
             input.kind_text() + " (it is " + output->kind_text() +
             (output->required ? "" : ", optional") + ")";
  }
  return "";
}

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

const Record &branch_view(const Operator &branch, const Record &input,
                          Record &storage) {
  const Specification &spec = branch.spec();
  if (spec.has_open_inputs())
    return input;
  for (const auto &entry : input)
    if (!spec.find_input(entry.first)) {
      storage = branch_input(branch, input);
      return storage;
    }
  return input;
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
  output.reserve(output.size() + 2);
  output.set(FieldId(iterations_field),
             Value(static_cast<std::int64_t>(iterations)));
  output.set(FieldId(bound_hit_field), Value(bound_hit));
  return output;
}

} // namespace control_flow
} // namespace xcs
