//===- Driver/builtin_operators.h - xcs::ops by name ------------*- C++ -*-===//
///
/// \file
/// The factories of the built-in operator library (xcs::ops) under the
/// names a routing-IR file declares them by. docs/xcs-jit-dump.md lists
/// each name with its arguments.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/registry.h"

namespace xcs {

/// Registers identity, select, rename, format, affine, add, sub, mul,
/// counter, most_common, judge and model_call in \p registry.
void add_builtin_operators(OperatorRegistry &registry);

} // namespace xcs
