//===- Driver/source_diagnostic.h - Errors that point into a file -*- C++ -*-===//
///
/// \file
/// An error about a position in a file the tool read shows, below its
/// one-line diagnostic, the source line and a caret under the column, as
/// LLVM's tools do (SourceMgr's format). The diagnostic line stays one line
/// for scripts; the two context lines follow it.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/parser.h"
#include "xcs/error.h"

#include "llvm/Support/Error.h"

#include <string>
#include <string_view>

namespace xcs {

/// An InputError whose message is the diagnostic ("FILE:LINE:COL: ...")
/// and whose context() is the line it points at and a caret under the
/// column, which the tool prints after the diagnostic.
class SourceDiagnostic : public InputError {
public:
  SourceDiagnostic(const std::string &message, std::string context)
      : InputError(message), context_(std::move(context)) {}
  const std::string &context() const { return context_; }

private:
  std::string context_;
};

/// Line \p at.line of \p text and a caret under column \p at.column, each
/// ending in a newline; tabs before the column are kept so the caret lines
/// up. Empty when the line is not in \p text.
std::string caret_context(std::string_view text, ir::SourceLocation at);

/// Throws \p error, which must be a failure: a SourceDiagnostic pointing
/// into \p text for an ir::SourceError, else an InputError with its message.
[[noreturn]] void throw_parse_error(llvm::Error error, std::string_view text);

} // namespace xcs
