//===- IR/printer.h - The text form of a module -----------------*- C++ -*-===//
///
/// \file
/// Prints a module in the text form that parse() reads back: printing the
/// parse of a printed module gives the same bytes. Nodes and operators are
/// numbered by position (%0, @op0), whatever names the text they came from
/// used. docs/ir.md has the grammar.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"

#include <string>

namespace xcs::ir {

/// The text of \p module. Never fails, even on a module that does not
/// verify: what has no text form (an opaque constant, a non-finite double,
/// invalid UTF-8, a missing operand) prints as a `<...>` placeholder that
/// the parser rejects with an error saying so.
std::string print(const Module &module);

} // namespace xcs::ir
