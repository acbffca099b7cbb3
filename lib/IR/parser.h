//===- IR/parser.h - Reading the text form of a module ----------*- C++ -*-===//
///
/// \file
/// Reads the text form print() writes (grammar in docs/ir.md). Hand-written
/// text may name values and operators freely (%q, @judge); they are
/// numbered by position. The parser checks what the text itself must get
/// right (syntax, defined names, known operators); verify() checks the rest,
/// so a module that parses may still be invalid. parse_and_verify() does
/// both and points the verifier's errors into the text as well.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "IR/ir.h"
#include "IR/verifier.h"

#include "llvm/Support/Error.h"

#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace xcs::ir {

/// A position in the text: 1-based line and column, as in parse errors.
struct SourceLocation {
  unsigned line = 0;
  unsigned column = 0;
};

/// Where parse() read each part of a module. A side table rather than a
/// member of Node: only text has positions, and the passes, the interpreter
/// and code generation never need them.
struct SourceMap {
  /// The `graph` keyword.
  SourceLocation graph;
  /// The '}' that closes the graph.
  SourceLocation end;
  /// The `slots` keyword; line 0 when there is no slots section.
  SourceLocation slots;
  /// The `operator` keyword of each declaration, in table order.
  std::vector<SourceLocation> operators;
  /// Each declared input and output field name, in declaration order.
  std::vector<SourceLocation> inputs;
  std::vector<SourceLocation> outputs;
  /// The first token of each node's statement (`%name` or `output`).
  std::vector<SourceLocation> nodes;
  /// The name the text gave each node (`%sum`); empty for the output.
  ValueNames names;
  /// The `task` keyword of each task.
  std::vector<SourceLocation> tasks;
  /// Where each body graph's parts are (Module::bodies order); only their
  /// graph sites are filled.
  std::vector<SourceMap> bodies;

  /// Where the text of \p site number \p index starts. Graph is the header,
  /// End the closing '}'. \p site must be part of the parsed text: every
  /// site verify() reports for a module parse() read is.
  SourceLocation locate(Site site, std::uint32_t index) const;
};

/// An error about a position in a text: parse() and parse_and_verify()
/// return one. Its message reads "FILE:LINE:COL: message"; a tool shows
/// the line and a caret under the column from location().
class SourceError : public llvm::ErrorInfo<SourceError> {
public:
  /// LLVM's RTTI for error types.
  static char ID;
  SourceError(std::string file, SourceLocation location, std::string message)
      : file_(std::move(file)), location_(location),
        message_(std::move(message)) {}
  SourceLocation location() const { return location_; }
  /// Writes "FILE:LINE:COL: message".
  void log(llvm::raw_ostream &os) const override;
  /// Not convertible: no std::error_code equivalent.
  std::error_code convertToErrorCode() const override;

private:
  std::string file_;
  SourceLocation location_;
  std::string message_;
};

/// Parses \p text. Errors read "FILE:LINE:COL: expected X, found Y" (or say
/// what is wrong with the name or value at that position), positions
/// 1-based and pointing at the offending token; \p file_name is FILE. When
/// \p locations is given, it receives where each part of the module was
/// read.
llvm::Expected<Module> parse(std::string_view text, std::string_view file_name,
                             SourceMap *locations = nullptr);

/// parse() then verify(): the module read from a file. A verifier error
/// becomes "FILE:LINE:COL: graph @NAME: ...", pointing at the part of the
/// text it is about (SourceMap::locate()) and naming values as the text
/// does; a parse error is parse()'s.
llvm::Expected<Module> parse_and_verify(std::string_view text,
                                        std::string_view file_name);

} // namespace xcs::ir
