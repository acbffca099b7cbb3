//===- JIT/trace_listing.h - A trace as text --------------------*- C++ -*-===//
#pragma once

#include "xcs/trace.h"

#include <string>

namespace xcs {

/// One line per recorded call, in call order, indented by nesting depth:
///
///   call 3 Affine, in call 1: {"x":5} -> {"y":15}
///
/// with what the call returned (or "threw: MESSAGE"). A composite's line
/// is followed by whether it was flattened or kept opaque, and why. Holds
/// no times or addresses, so the same run lists the same text. A symbolic
/// trace says so first, and lists the symbols its leaves returned as null.
std::string list_trace(const Trace &trace);

} // namespace xcs
