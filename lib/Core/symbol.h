//===- symbol.h - The values of xcs::jit's symbolic analysis ----*- C++ -*-===//
///
/// \file
/// The structural strategy runs a composite's forward on symbols: its leaves
/// do not run, and each of their outputs is a symbol, a Value of kind null
/// that stands for what the leaf would have returned. A symbol carries a
/// stamp (where it comes from, as every traced value) and a tag: the
/// symbolic run that made it and the operator whose glue was running.
///
/// A symbol is data to nothing but XCS's own machinery during its run. Glue
/// that reads one gives the run up (docs/tracing.md), and a read anywhere
/// else means the symbol escaped the run, into a member that keeps a
/// child's output, say: it throws an xcs::Error saying so, never passes for
/// null. A symbol is always stamped, so every such read is already on
/// Value's slow path; eager code pays nothing for the check.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/value.h"

#include <cstdint>
#include <string_view>

namespace xcs {
class Path;
} // namespace xcs

namespace xcs::detail {

/// The tag of a symbol made by symbolic run \p run (never 0) while the glue
/// of operator \p glue ran ("" when none did).
std::uint64_t make_symbol_tag(std::uint32_t run, std::string_view glue);
/// The symbolic run a symbol's tag names.
inline std::uint32_t symbol_run(std::uint64_t tag) {
  return static_cast<std::uint32_t>(tag >> 32);
}

/// Throws the xcs::Error that says \p symbol escaped its symbolic run, into
/// which operator, and how to avoid it.
[[noreturn]] void throw_escaped_symbol(const Value &symbol);

/// Tells the tracer (Core/trace_hooks.h): code read the content of \p symbol
/// through \p what. In the symbolic run that made it, that is glue reading
/// a symbol: the run gives up with a CompileError. Anywhere else the symbol
/// escaped: throw_escaped_symbol.
[[noreturn]] void on_symbol_read(const Value &symbol, const char *what);

/// Asks the tracer (Core/trace_hooks.h) for the value at \p rest inside
/// \p symbol, which is a symbol too, standing for that part of the same
/// output; it lives as long as the run's context. Outside the run that
/// made \p symbol: throw_escaped_symbol.
const Value &symbol_at(const Value &symbol, const Path &rest);

} // namespace xcs::detail
