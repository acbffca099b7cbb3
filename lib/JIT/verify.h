//===- JIT/verify.h - Checking a plan against the eager call ----*- C++ -*-===//
///
/// \file
/// Verify mode (JitOptions::verify, or XCS_JIT_VERIFY=1 in the environment)
/// runs every call a plan serves eagerly as well and compares the outcomes:
/// equal result records, or exceptions of the same type with the same
/// message. It is the net for the contracts only the user can keep: a
/// composite whose behaviour depends on its members must declare
/// StateDependency, and glue must keep no state between calls. Every call
/// then runs twice, side effects included: it is for tests, not production.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/operator.h"

#include <exception>
#include <functional>
#include <optional>

namespace xcs {

/// How a call ended: a result, or an exception.
struct Outcome {
  std::optional<Record> result;
  std::exception_ptr error;

  /// The outcome of \p call().
  static Outcome of(const std::function<Record()> &call);
  /// Returns the result, or rethrows the exception.
  Record take() &&;
};

/// Whether XCS_JIT_VERIFY asks for verify mode ("1", "true", "on" or "yes",
/// in any case).
bool verify_requested_by_environment();

/// Runs \p op eagerly on \p inputs and throws VerifyError when its outcome
/// differs from \p served, the plan's outcome of the same call; \p name is
/// the jit operator's name.
void verify_against_eager(const std::string &name, const Operator &op,
                          const Record &inputs, const Outcome &served);

} // namespace xcs
