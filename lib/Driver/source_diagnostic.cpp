//===- Driver/source_diagnostic.cpp - Errors that point into a file -------===//

#include "Driver/source_diagnostic.h"

#include <optional>

namespace xcs {

std::string caret_context(std::string_view text, ir::SourceLocation at) {
  std::size_t begin = 0;
  for (unsigned line = 1; line < at.line; ++line) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos)
      return "";
    ++begin;
  }
  std::string_view line = text.substr(begin, text.find('\n', begin) - begin);
  if (at.line == 0 || at.column == 0 || at.column > line.size() + 1)
    return "";
  std::string caret;
  for (std::size_t i = 0; i + 1 < at.column; ++i)
    caret += line[i] == '\t' ? '\t' : ' ';
  return std::string(line) + "\n" + caret + "^\n";
}

void throw_parse_error(llvm::Error error, std::string_view text) {
  std::optional<SourceDiagnostic> located;
  std::string message;
  llvm::handleAllErrors(
      std::move(error),
      [&](const ir::SourceError &at) {
        located.emplace(at.message(), caret_context(text, at.location()));
      },
      [&](const llvm::ErrorInfoBase &other) { message = other.message(); });
  if (located)
    throw *located;
  throw InputError(message);
}

} // namespace xcs
