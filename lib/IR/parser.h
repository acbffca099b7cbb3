//===- IR/parser.h - Reading the text form of a module ----------*- C++ -*-===//
///
/// \file
/// Reads the text form print() writes (grammar in docs/ir.md). Hand-written
/// text may name values and operators freely (%q, @judge); they are
/// numbered by position. The parser checks what the text itself must get
/// right (syntax, defined names, known operators); verify() checks the rest,
/// so a module that parses may still be invalid.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"

#include "llvm/Support/Error.h"

#include <string_view>

namespace xcs::ir {

/// Parses \p text. Errors read "FILE:LINE:COL: expected X, found Y" (or say
/// what is wrong with the name or value at that position), positions
/// 1-based and pointing at the offending token; \p file_name is FILE.
llvm::Expected<Module> parse(std::string_view text, std::string_view file_name);

} // namespace xcs::ir
