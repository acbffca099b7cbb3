//===- IR/syntax.h - Character classes of the IR text form ------*- C++ -*-===//
///
/// \file
/// The printer and the lexer must agree on which names may appear bare, or
/// a printed module would not read back; both take the rules from here.
///
//===----------------------------------------------------------------------===//
#pragma once

#include <algorithm>
#include <string_view>

namespace xcs::ir::syntax {

/// First character of a bare name: [A-Za-z_].
inline bool is_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/// Later characters of a bare name, and every character of the name after
/// '%' or '@': [A-Za-z0-9_-].
inline bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/// Whether \p name prints bare (`query`) rather than JSON-quoted.
inline bool is_bare_name(std::string_view name) {
  return !name.empty() && is_name_start(name.front()) &&
         std::all_of(name.begin(), name.end(), is_name_char);
}

/// Whether \p name can follow '%' or '@'.
inline bool is_sigil_name(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), is_name_char);
}

} // namespace xcs::ir::syntax
