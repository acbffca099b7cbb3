//===- verify.cpp - Checking a plan against the eager call ----------------===//

#include "JIT/verify.h"

#include "xcs/error.h"
#include "xcs/json.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Demangle/Demangle.h"

#include <cstdlib>
#include <cxxabi.h>
#include <typeinfo>

namespace xcs {
namespace {

/// An exception's dynamic type, demangled, and its message.
struct Thrown {
  std::string type;
  std::string message;

  friend bool operator==(const Thrown &, const Thrown &) = default;
};

Thrown thrown(const std::exception_ptr &error) {
  try {
    std::rethrow_exception(error);
  } catch (...) {
    const std::type_info *type = abi::__cxa_current_exception_type();
    return Thrown{type ? llvm::demangle(type->name()) : "unknown type",
                  describe(error)};
  }
}

std::string describe_outcome(const Outcome &outcome) {
  if (outcome.error) {
    Thrown t = thrown(outcome.error);
    return "threw " + t.type + " (\"" + t.message + "\")";
  }
  return "returned " + to_json(*outcome.result);
}

/// The first field, in field order, where \p a and \p b differ, with both
/// values; "" when they are equal.
std::string first_difference(const Record &a, const Record &b) {
  auto show = [](const Record &record, FieldId field) {
    const Value *value = record.find(field);
    return value ? to_json(*value) : std::string("(no such field)");
  };
  auto a_field = a.begin();
  auto b_field = b.begin();
  while (a_field != a.end() || b_field != b.end()) {
    FieldId field = b_field == b.end() || (a_field != a.end() &&
                                           a_field->first < b_field->first)
                        ? a_field->first
                        : b_field->first;
    const Value *in_a = a.find(field);
    const Value *in_b = b.find(field);
    if (!in_a || !in_b || !(*in_a == *in_b))
      return "field '" + std::string(field.name()) + "': the plan gave " +
             show(a, field) + ", the eager call gave " + show(b, field);
    if (a_field != a.end() && a_field->first == field)
      ++a_field;
    if (b_field != b.end() && b_field->first == field)
      ++b_field;
  }
  return "";
}

/// How \p served and \p eager differ, or "" when they do not.
std::string difference(const Outcome &served, const Outcome &eager) {
  if (served.error && eager.error) {
    if (thrown(served.error) == thrown(eager.error))
      return "";
  } else if (!served.error && !eager.error) {
    return first_difference(*served.result, *eager.result);
  }
  return "the plan " + describe_outcome(served) + ", the eager call " +
         describe_outcome(eager);
}

} // namespace

Outcome Outcome::of(const std::function<Record()> &call) {
  try {
    return Outcome{call(), nullptr};
  } catch (...) {
    return Outcome{std::nullopt, std::current_exception()};
  }
}

Record Outcome::take() && {
  if (error)
    std::rethrow_exception(error);
  return std::move(*result);
}

bool verify_requested_by_environment() {
  const char *value = std::getenv("XCS_JIT_VERIFY");
  if (!value)
    return false;
  std::string lower = llvm::StringRef(value).lower();
  return lower == "1" || lower == "true" || lower == "on" || lower == "yes";
}

void verify_against_eager(const std::string &name, const Operator &op,
                          const Record &inputs, const Outcome &served) {
  Outcome eager = Outcome::of([&] { return op(inputs); });
  std::string diff = difference(served, eager);
  if (diff.empty())
    return;
  throw VerifyError(
      "jit '" + name + "': verify: the plan's outcome differs from the "
      "eager call's on input " + to_json(inputs) + ": " + diff +
      ". Likely causes: a composite whose behaviour depends on its own "
      "members does not implement StateDependency (so a plan built under "
      "an old state was used), or glue keeps hidden state between calls "
      "(a counter, a cache, a random draw)");
}

} // namespace xcs
